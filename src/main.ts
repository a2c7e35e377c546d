import * as core from '@actions/core';
import { maskSecrets } from './credentials.js';
import { deploy } from './deploy.js';
import { errorMessage } from './errors.js';
import { readInputs } from './inputs.js';
import { publishReport } from './report.js';

/** The action: read and validate the inputs, run the deploy pipeline (deploy.ts), report. */
export async function run(): Promise<void> {
  const started = Date.now();
  maskSecrets(process.env);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const report = await deploy(inputs, started);
    await publishReport(report);
    if (report.status === 'failed') {
      for (const failure of report.failures.slice(0, 20)) core.error(`${failure.key}: ${failure.message}`);
      core.setFailed(report.reason ?? 'The deploy failed.');
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
