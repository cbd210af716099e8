// An asc transform that stores the agent's status-message constants as UTF-8 bytes.
//
// AssemblyScript keeps every string literal as a UTF-16 object with a 20-byte header in
// static memory, so the agent's ~100 message fragments cost about twice their text in flash
// and in RAM (static data lives in the agent's linear memory). Message text is written as
// `say("…")` in the source for readability; this transform rewrites each such call into
// `sayBytes(memory.data<u8>([…]), n)` — the same bytes, UTF-8, no header — and adds
// `sayBytes` to the file's import of `say`. Calls of `say` with a non-literal argument stay.
//
// Text constants that travel (a status name returned, a field name in a table) are written
// `text("…")` (assembly/text.ts): each such call becomes `memory.data<u8>([n, …])`, a pointer
// to the byte length (at most 255) followed by the UTF-8 bytes.
import { Transform } from "assemblyscript/dist/transform.js";
import { LiteralKind, NodeKind, Node, Parser, Source, SourceKind, Tokenizer } from "assemblyscript/dist/assemblyscript.js";

const SAY = "say";
const SAY_BYTES = "sayBytes";
const TEXT = "text";
const TEXT_MAX_BYTES = 255;

/** Parses `text` as an expression whose nodes all claim `range` (debug builds map them to the call). */
function parseExpressionAt(text, range) {
  const expression = new Parser().parseExpression(new Tokenizer(new Source(SourceKind.User, "utf8-text.ts", text)));
  if (!expression) throw new Error(`utf8-text transform: cannot parse ${text}`);
  const claim = (node) => {
    if (node === null || typeof node !== "object" || node.range === range) return;
    if (typeof node.kind === "number") node.range = range;
    for (const [key, value] of Object.entries(node)) {
      if (key === "range") continue;
      if (Array.isArray(value)) value.forEach(claim);
      else if (value && typeof value === "object" && typeof value.kind === "number") claim(value);
    }
  };
  claim(expression);
  return expression;
}

function isCallOfLiteral(node, name) {
  return node.kind === NodeKind.Call &&
    node.expression.kind === NodeKind.Identifier && node.expression.text === name &&
    node.args.length === 1 &&
    node.args[0].kind === NodeKind.Literal && node.args[0].literalKind === LiteralKind.String;
}

function isSayOfLiteral(node) {
  return isCallOfLiteral(node, SAY) && node.args[0].value.length > 0;
}

/** `text("…")` as `memory.data<u8>([n, …bytes])`, in place: a call of the builtin. */
function rewriteText(node) {
  const bytes = Buffer.from(node.args[0].value, "utf8");
  if (bytes.length > TEXT_MAX_BYTES) throw new Error(`utf8-text transform: text("${node.args[0].value}") is longer than ${TEXT_MAX_BYTES} bytes`);
  const data = parseExpressionAt(`memory.data<u8>([${[bytes.length, ...bytes].join(",")}])`, node.range);
  node.expression = data.expression;
  node.typeArguments = data.typeArguments;
  node.args = data.args;
}

/** Rewrites the calls in place; returns how many it rewrote. */
function rewriteCalls(node, seen) {
  if (node === null || typeof node !== "object" || seen.has(node)) return 0;
  seen.add(node);
  let rewritten = 0;
  if (isSayOfLiteral(node)) {
    const bytes = Buffer.from(node.args[0].value, "utf8");
    const call = parseExpressionAt(`${SAY_BYTES}(memory.data<u8>([${[...bytes].join(",")}]), ${bytes.length})`, node.range);
    node.expression = call.expression;
    node.args = call.args;
    rewritten++;
  } else if (isCallOfLiteral(node, TEXT)) {
    rewriteText(node);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "range" || key === "parent") continue;
    if (Array.isArray(value)) for (const item of value) rewritten += rewriteCalls(item, seen);
    else if (value && typeof value === "object" && typeof value.kind === "number") rewritten += rewriteCalls(value, seen);
  }
  return rewritten;
}

function importSayBytes(source) {
  for (const statement of source.statements) {
    if (statement.kind !== NodeKind.Import || !statement.declarations) continue;
    const names = statement.declarations.map((declaration) => declaration.name.text);
    if (!names.includes(SAY)) continue;
    if (!names.includes(SAY_BYTES)) {
      const name = Node.createIdentifierExpression(SAY_BYTES, statement.range);
      statement.declarations.push(Node.createImportDeclaration(name, null, statement.range));
    }
    return;
  }
  throw new Error(`utf8-text transform: ${source.normalizedPath} calls say("…") but does not import say`);
}

export default class Utf8TextTransform extends Transform {
  afterParse(parser) {
    for (const source of parser.sources) {
      if (source.isLibrary || source.internalPath.startsWith("~lib/") || source.internalPath.includes("node_modules/")) continue;
      if (rewriteCalls(source, new Set()) > 0) importSayBytes(source);
    }
  }
}
