// `otau-sim bridge`: the host side of a board's UART (docs/uart-bridge.md) until interrupted.
// A QEMU board connects with `-serial tcp:127.0.0.1:<port>`; a board on a USB-UART through a
// serial-to-TCP relay (socat). The bridge speaks the Murano HTTP Device API for the board.
import type { Command } from "commander";
import { UartBridge } from "../bridge/uart-bridge.ts";
import { UsageError, parseWholeNumber } from "./usage.ts";

interface BridgeOptions {
  murano: string;
  identity: string;
  port: string;
}

export function registerBridge(program: Command): void {
  program
    .command("bridge")
    .description("carry a board's UART frames to Murano: listen on a loopback TCP port and speak the HTTP Device API for the board")
    .requiredOption("--murano <url>", "base URL of the Murano HTTP Device API (otau-sim serve prints it)")
    .requiredOption("--identity <id>", "the device's identity in the product")
    .option("--port <n>", "TCP port on 127.0.0.1 (0: a free one, printed)", "0")
    .action((options: BridgeOptions) => bridge(options));
}

async function bridge(options: BridgeOptions): Promise<void> {
  const port = parseWholeNumber("--port", options.port, 0, 65535);
  let murano: URL;
  try {
    murano = new URL(options.murano);
  } catch {
    throw new UsageError(`--murano ${options.murano} is not a URL`);
  }
  if (murano.protocol !== "http:" && murano.protocol !== "https:") throw new UsageError(`--murano ${options.murano} must be http(s)`);
  const uartBridge = new UartBridge({ murano: options.murano.replace(/\/$/, ""), identity: options.identity });
  const listening = await uartBridge.listen(port);
  console.log(`bridge for ${options.identity} on 127.0.0.1:${listening} -> ${options.murano}`);
  console.log(`QEMU: -serial tcp:127.0.0.1:${listening}   a USB-UART: socat /dev/ttyACM0,raw,echo=0,b115200,crtscts=1 TCP:127.0.0.1:${listening}`);
  uartBridge.on("connection", () => console.log("board connected"));
  uartBridge.on("hello", (version: string, slot: string) => console.log(`hello: the board runs ${version} from slot ${slot}`));
  uartBridge.on("publish", (channel: number, document: string) => console.log(`report ${channel}: ${document}`));
  await new Promise<void>((resolve) => process.once("SIGINT", resolve));
  for (const error of uartBridge.errors) console.log(`error: ${error}`);
  await uartBridge.close();
}
