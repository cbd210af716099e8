// A worker process of the power-cut runner: runs the configurations it is sent, one at a
// time, and answers each with its report.
import { compileAgent } from "../agent/agent-instance.ts";
import { fullMatrix } from "./configurations.ts";
import { runConfiguration, type SuiteOptions } from "./suite.ts";

export interface WorkerRequest {
  config: string;
  options: SuiteOptions;
}

const module = await compileAgent();
const configs = new Map(fullMatrix().map((config) => [config.name, config]));

process.on("message", (request: WorkerRequest) => {
  const config = configs.get(request.config);
  if (!config) throw new Error(`no configuration named ${request.config}`);
  process.send!(runConfiguration(config, module, request.options));
});
process.send!("ready");
