// The specs read the agent's text constants (assembly/text.ts) back as strings to compare them.
import { Text, textBytes, textLength } from "../../assembly/text";

export function textString(t: Text): string {
  return String.UTF8.decodeUnsafe(textBytes(t), textLength(t));
}
