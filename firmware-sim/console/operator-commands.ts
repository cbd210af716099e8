// serve's stdin commands: the operator API as lines a person or a script types. Each command
// returns the lines to print; bad input throws an OperatorError naming what is wrong.
import { readFileSync } from "node:fs";
import { OtauDocumentError, validateConfigOtau } from "../murano/otau-documents.ts";
import type { MuranoProduct } from "../murano/product.ts";
import { Operator, OperatorError } from "./operator.ts";

export const COMMAND_HELP = [
  "help                                      this list",
  "packages                                  the published packages",
  "devices                                   every device: cloud, transport, installed version, last report",
  "publish <image> <version> <name>          publish an image as a package (Murano) and software (Kaa)",
  "publish-slots <image-A> <image-B> <version> <name>",
  "                                          publish a release with a build per slot (the documents' slots table)",
  "apply-package <device|all> <package id>   apply a package (Kaa endpoints: grant consent to its version)",
  "apply <device> <config_otau.json>         write a config_otau document to a Murano device",
  "status <device>                           what the device reported (Murano otau_in, Kaa applied)",
];

export function runOperatorCommand(operator: Operator, product: MuranoProduct, line: string): string[] {
  const [command, ...args] = line.trim().split(/\s+/).filter((word) => word !== "");
  const expect = (count: number, usage: string): void => {
    if (args.length !== count) throw new OperatorError(400, `usage: ${usage}`);
  };
  switch (command) {
    case undefined:
      return [];
    case "help":
      return COMMAND_HELP;
    case "packages":
      expect(0, "packages");
      return operator.packages().map((p) => `${p.id}  ${p.version}  ${p.name}  ${p.size ?? "?"} bytes  sha256 ${p.sha256 ?? "none"}  signed ${p.signed ? "yes" : "no"}`);
    case "devices":
      expect(0, "devices");
      return operator.devices().map((d) => [d.id, d.transport, `installed ${d.installedVersion ?? "unknown"}`, d.lastStatus ? `last ${d.lastStatus} ${d.lastVersion ?? ""} ${d.lastMessage ?? ""}`.trimEnd() : "no report yet"].join("  "));
    case "publish": {
      if (args.length < 3) throw new OperatorError(400, "usage: publish <image> <version> <name>");
      const [file, version, ...name] = args;
      const published = operator.publish({ image: readImage(file), version, name: name.join(" ") });
      return [`published ${published.id} (${published.version}, ${published.size} bytes) at ${published.url}`];
    }
    case "publish-slots": {
      if (args.length < 4) throw new OperatorError(400, "usage: publish-slots <image-A> <image-B> <version> <name>");
      const [fileA, fileB, version, ...name] = args;
      const slotImages = { A: readImage(fileA), B: readImage(fileB) };
      const published = operator.publish({ image: slotImages.B, slotImages, version, name: name.join(" ") });
      return [`published ${published.id} (${published.version}) with a build per slot: A at ${published.slots?.A}, B at ${published.slots?.B}`];
    }
    case "apply-package":
      expect(2, "apply-package <device|all> <package id>");
      return [`${args[1]} applied to ${operator.apply(args[0], args[1]).join(", ")}`];
    case "apply": {
      expect(2, "apply <device> <config_otau.json>");
      const [device, file] = args;
      let config;
      try {
        config = validateConfigOtau(JSON.parse(readFileSync(file, "utf8")));
      } catch (error) {
        if (error instanceof OtauDocumentError || error instanceof SyntaxError) throw new OperatorError(400, `${file}: ${error.message}`);
        throw new OperatorError(400, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      if (!product.identities().includes(device)) throw new OperatorError(404, `no Murano device "${device}"`);
      product.cloudWrite(device, "config_otau", JSON.stringify(config));
      return [`config_otau ${config.version} written to ${device}`];
    }
    case "status": {
      expect(1, "status <device>");
      const device = operator.devices().find((d) => d.id === args[0]);
      if (!device) throw new OperatorError(404, `no device "${args[0]}"`);
      if (device.cloud === "murano") return product.statusHistory(device.id).map((entry) => entry.raw);
      return device.history.map((entry) => `${entry.status} ${entry.version ?? ""} ${entry.message}`.trimEnd());
    }
    default:
      throw new OperatorError(400, `unknown command "${line.trim()}"; type help for the list`);
  }
}

function readImage(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new OperatorError(400, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
