/**
 * Role-assignment conditions (ABAC, condition version 2.0) for the forms Microsoft documents for
 * delegating role assignments: `ActionMatches{'…'}`, `!`/`NOT`, `AND`, `OR`, parentheses, and
 * `@Request[…]`/`@Resource[…]` comparisons of the role assignment's `RoleDefinitionId`,
 * `PrincipalId` and `PrincipalType` with the Guid and String functions and their
 * `ForAnyOfAnyValues:`-style quantifiers
 * (https://learn.microsoft.com/azure/role-based-access-control/conditions-format,
 * https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples).
 * Anything else (other attributes, `@Principal`/`@Environment`, sub-operations, Like/Numeric/Date
 * functions, AND mixed with OR without parentheses, which the format page requires) is reported
 * as unsupported, so the caller refuses instead of guessing.
 */
import { actionMatches } from "./roles";

/** Attribute values of the request and of the existing resource, by attribute name. */
export interface ConditionAttributes {
  readonly request?: Readonly<Record<string, readonly string[]>>;
  readonly resource?: Readonly<Record<string, readonly string[]>>;
}

/** A form local Azure cannot evaluate. */
export class UnsupportedCondition extends Error {}

type Node =
  | { kind: "not"; of: Node }
  | { kind: "and" | "or"; of: Node[] }
  | { kind: "action"; pattern: string }
  | {
      kind: "compare";
      source: "request" | "resource";
      name: string;
      op: Operator;
      values: string[];
    };

interface Operator {
  readonly left: "any" | "all" | "one";
  readonly right: "any" | "all" | "one";
  readonly test: (a: string, b: string) => boolean;
}

const ATTRIBUTE =
  /^@(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:(RoleDefinitionId|PrincipalId|PrincipalType)\]$/i;
const TOKEN =
  /\s*(\(|\)|!|ActionMatches\{'[^']*'\}|SubOperationMatches\{'[^']*'\}|@[A-Za-z]+\[[^\]]*\]|\{[^}]*\}|'[^']*'|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|[A-Za-z][A-Za-z0-9:]*)/y;

const FUNCTIONS: Readonly<Record<string, (a: string, b: string) => boolean>> = {
  guidequals: (a, b) => a.toLowerCase() === b.toLowerCase(),
  guidnotequals: (a, b) => a.toLowerCase() !== b.toLowerCase(),
  stringequals: (a, b) => a === b,
  stringnotequals: (a, b) => a !== b,
  stringequalsignorecase: (a, b) => a.toLowerCase() === b.toLowerCase(),
  stringnotequalsignorecase: (a, b) => a.toLowerCase() !== b.toLowerCase(),
};

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      throw new UnsupportedCondition(`cannot read the condition at "${text.slice(at, at + 20)}"`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

function operator(token: string): Operator {
  const [quantifier, fn] = token.includes(":") ? token.split(":") : ["", token];
  const test = FUNCTIONS[fn.toLowerCase()];
  const sides = /^For(Any|All)Of(Any|All)Values$/i.exec(quantifier);
  if (!test || (quantifier !== "" && !sides)) {
    throw new UnsupportedCondition(`operator ${token}`);
  }
  return sides
    ? {
        left: sides[1].toLowerCase() as "any" | "all",
        right: sides[2].toLowerCase() as "any" | "all",
        test,
      }
    : { left: "one", right: "one", test };
}

function values(token: string | undefined): string[] {
  if (token === undefined) throw new UnsupportedCondition("a comparison without a value");
  const items = token.startsWith("{") ? token.slice(1, -1).split(",") : [token];
  return items.map((v) => v.trim().replace(/^'(.*)'$/, "$1")).filter((v) => v !== "");
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Node {
    const node = this.sequence();
    if (this.at < this.tokens.length) {
      throw new UnsupportedCondition(`unexpected "${this.tokens[this.at]}"`);
    }
    return node;
  }

  private sequence(): Node {
    const of = [this.unary()];
    const joins = new Set<string>();
    while (/^(AND|OR)$/i.test(this.tokens[this.at] ?? "")) {
      joins.add(this.tokens[this.at++].toUpperCase());
      of.push(this.unary());
    }
    if (joins.size > 1) {
      throw new UnsupportedCondition("AND and OR mixed without parentheses");
    }
    return of.length === 1 ? of[0] : { kind: joins.has("AND") ? "and" : "or", of };
  }

  private unary(): Node {
    const token = this.tokens[this.at++];
    if (token === "!" || token?.toUpperCase() === "NOT") return { kind: "not", of: this.unary() };
    if (token === "(") {
      const inner = this.sequence();
      if (this.tokens[this.at++] !== ")") throw new UnsupportedCondition("unbalanced parentheses");
      return inner;
    }
    const action = /^ActionMatches\{'([^']*)'\}$/.exec(token ?? "");
    if (action) return { kind: "action", pattern: action[1] };
    const attribute = ATTRIBUTE.exec(token ?? "");
    if (!attribute) throw new UnsupportedCondition(`"${token ?? "end of condition"}"`);
    const op = operator(this.tokens[this.at++] ?? "");
    const vals = values(this.tokens[this.at++]);
    if (op.right === "one" && vals.length !== 1) {
      throw new UnsupportedCondition(`${token} compared with a set without a quantifier`);
    }
    const source = attribute[1].toLowerCase() as "request" | "resource";
    return { kind: "compare", source, name: attribute[2].toLowerCase(), op, values: vals };
  }
}

function compare(node: Extract<Node, { kind: "compare" }>, attributes: ConditionAttributes) {
  const table = attributes[node.source] ?? {};
  const left = Object.entries(table).find(([k]) => k.toLowerCase() === node.name)?.[1] ?? [];
  if (left.length === 0) return false;
  const { op } = node;
  const matches = (l: string) =>
    op.right === "all"
      ? node.values.every((r) => op.test(l, r))
      : node.values.some((r) => op.test(l, r));
  return op.left === "all" ? left.every(matches) : left.some(matches);
}

function evaluate(node: Node, action: string, attributes: ConditionAttributes): boolean {
  switch (node.kind) {
    case "not":
      return !evaluate(node.of, action, attributes);
    case "and":
      return node.of.every((n) => evaluate(n, action, attributes));
    case "or":
      return node.of.some((n) => evaluate(n, action, attributes));
    case "action":
      return actionMatches(node.pattern, action);
    case "compare":
      return compare(node, attributes);
  }
}

/**
 * Whether `condition` lets `action` through with `attributes`. Throws `UnsupportedCondition`
 * for a form local Azure cannot evaluate, or for a condition version other than 2.0.
 */
export function conditionAllows(
  condition: string,
  version: string,
  action: string,
  attributes: ConditionAttributes,
): boolean {
  if (version !== "2.0") {
    throw new UnsupportedCondition(`condition version ${version}`);
  }
  return evaluate(new Parser(tokenize(condition)).parse(), action, attributes);
}
