import type { InputSpec } from '../src/context/inputs.js';
export const ACTION_INPUTS_MODULE: string;
export function inputSpecs(actionYaml: string): InputSpec[];
export function actionInputsModule(specs: InputSpec[]): Promise<string>;
