// The ParlAI preset's end-to-end test (`npm run test:parlai`): builds ParlAI's whole site from the source
// fixture and deploys it; minutes long, so not part of `npm test`. Run by .ci/run after .ci/parlai-deps.sh.
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['**/*.parlai-test.ts'],
  // One build at a time: the machine's cores go to Sphinx.
  maxWorkers: 1,
  testTimeout: 30 * 60_000,
};
