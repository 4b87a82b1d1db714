// Evaluates GitHub Actions expressions with GitHub's own library (@actions/expressions). The library is ESM only,
// which jest's CommonJS runtime cannot load, so this runs in a worker thread (support/workflows.ts starts it).
// Each message on workerData.port is { id, requests: [{ text, kind: "if" | "value", context, status }] }; the
// answer { id, values } or { id, error } is posted back, then workerData.done is set so the caller can read it synchronously.
// "if" follows GitHub's rule: a condition without a status function is read as `success() && (condition)`.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { workerData } from 'node:worker_threads';

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

function parse(source, context) {
  const lexed = new Lexer(source).lex();
  const infos = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  return new Parser(lexed.tokens, Object.keys(context), infos).parse();
}

function usesStatusFunction(node) {
  if (!node || typeof node !== 'object') return false;
  if (node.functionName && STATUS_FUNCTIONS.includes(node.functionName.lexeme.toLowerCase())) return true;
  return [node.left, node.right, node.expr, node.group, node.index, ...(node.args ?? [])].some(usesStatusFunction);
}

function evaluate(source, context, status) {
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(name === 'always' || Boolean(status[name])) },
    ]),
  );
  const tree = parse(source, context);
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver);
  return { tree, value: new Evaluator(tree, dictionary, functions).evaluate() };
}

const WHOLE = /^\s*\$\{\{([\s\S]*)\}\}\s*$/;
const EMBEDDED = /\$\{\{([\s\S]*?)\}\}/g;

function run({ text, kind, context, status = { success: true, failure: false, cancelled: false } }) {
  if (kind === 'if') {
    const source = String(text).replace(WHOLE, '$1');
    const { tree, value } = evaluate(source, context, status);
    return usesStatusFunction(tree) ? truthy(value) : Boolean(status.success) && truthy(value);
  }
  if (typeof text !== 'string' || !text.includes('${{')) return text;
  const whole = text.match(WHOLE);
  if (whole && !whole[1].includes('}}')) {
    return JSON.parse(JSON.stringify(evaluate(whole[1], context, status).value, data.replacer));
  }
  return text.replace(EMBEDDED, (_, source) => evaluate(source, context, status).value.coerceString());
}

const { port, done } = workerData;
port.on('message', ({ id, requests }) => {
  try {
    port.postMessage({ id, values: requests.map(run) });
  } catch (error) {
    port.postMessage({ id, error: String(error?.stack ?? error) });
  }
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
