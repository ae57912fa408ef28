import { type GraphQLError, Kind, specifiedRules, validate, visit, type ASTNode, type DocumentNode, type GraphQLSchema, type ValidationRule } from "graphql";

// graphql-js and Shopify (graphql-ruby) reject the same documents, but word the errors differently and
// Shopify adds `path` + `extensions.code`. Clients (and our tests) match on those codes, so each graphql-js
// rule is run on its own and its errors are re-worded the way graphql-ruby words them.

export interface ShopifyError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

interface NodeInfo {
  path: string[];
  fieldName?: string;
  argumentName?: string;
}

/** For every AST node: Shopify's path to it ("query Name" › field › argument) and its enclosing field/argument. */
function indexNodes(document: DocumentNode): Map<ASTNode, NodeInfo> {
  const info = new Map<ASTNode, NodeInfo>();
  const path: string[] = [];
  const fields: string[] = [];
  const args: string[] = [];
  const pushed: boolean[] = [];
  visit(document, {
    enter(node) {
      let segment: string | undefined;
      switch (node.kind) {
        case Kind.OPERATION_DEFINITION:
          segment = node.name ? `${node.operation} ${node.name.value}` : node.operation;
          break;
        case Kind.FRAGMENT_DEFINITION:
          segment = `fragment ${node.name.value}`;
          break;
        case Kind.INLINE_FRAGMENT:
          segment = node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...";
          break;
        case Kind.FIELD:
          segment = node.name.value;
          fields.push(node.name.value);
          break;
        case Kind.ARGUMENT:
          segment = node.name.value;
          args.push(node.name.value);
          break;
        case Kind.OBJECT_FIELD:
          segment = node.name.value;
          break;
        default:
          break;
      }
      if (segment !== undefined) path.push(segment);
      pushed.push(segment !== undefined);
      info.set(node, { path: [...path], fieldName: fields[fields.length - 1], argumentName: args[args.length - 1] });
    },
    leave(node) {
      if (pushed.pop()) path.pop();
      if (node.kind === Kind.FIELD) fields.pop();
      if (node.kind === Kind.ARGUMENT) args.pop();
    },
  });
  return info;
}

const unquote = (s: string) => s.replace(/"/g, "");

function reword(rule: string, error: GraphQLError, nodes: Map<ASTNode, NodeInfo>, operationLabel: string): ShopifyError {
  const node = error.nodes?.[error.nodes.length - 1] ?? error.nodes?.[0];
  const info = node ? nodes.get(node) : undefined;
  const base: ShopifyError = {
    message: error.message,
    locations: error.locations ? error.locations.map((l) => ({ line: l.line, column: l.column })) : undefined,
    path: info?.path,
  };
  const m = error.message;
  let match: RegExpExecArray | null;
  switch (rule) {
    case "FieldsOnCorrectTypeRule":
      if ((match = /^Cannot query field "([^"]+)" on type "([^"]+)"/.exec(m))) {
        return {
          ...base,
          message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
          extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
        };
      }
      break;
    case "KnownArgumentNamesRule":
      if ((match = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"/.exec(m))) {
        return {
          ...base,
          message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`,
          extensions: { code: "argumentNotAccepted", name: match[3], typeName: "Field", argumentName: match[1] },
        };
      }
      if ((match = /^Unknown argument "([^"]+)" on directive "@([^"]+)"/.exec(m))) {
        return {
          ...base,
          message: `Directive '${match[2]}' doesn't accept argument '${match[1]}'`,
          extensions: { code: "argumentNotAccepted", name: match[2], typeName: "Directive", argumentName: match[1] },
        };
      }
      break;
    case "ProvidedRequiredArgumentsRule":
      if ((match = /^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required/.exec(m))) {
        return {
          ...base,
          message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
          extensions: { code: "missingRequiredArguments", className: "Field", name: match[1], arguments: match[2] },
        };
      }
      break;
    case "VariablesInAllowedPositionRule":
      if ((match = /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"/.exec(m))) {
        const argumentName = info?.argumentName ?? match[1];
        return {
          ...base,
          message: `Type mismatch on variable $${match[1]} and argument ${argumentName} (${match[2]} / ${match[3]})`,
          extensions: { code: "variableMismatch", variableName: match[1], typeName: match[2], argumentName, errorMessage: "Type mismatch" },
        };
      }
      break;
    case "ScalarLeafsRule":
      if ((match = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(m))) {
        const typeName = match[2]!.replace(/[[\]!]/g, "");
        return {
          ...base,
          message: `Field must have selections (field '${match[1]}' returns ${typeName} but has no selections. Did you mean '${match[1]} { ... }'?)`,
          extensions: { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName },
        };
      }
      if ((match = /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields/.exec(m))) {
        const typeName = match[2]!.replace(/[[\]!]/g, "");
        return {
          ...base,
          message: `Selections can't be made on scalars (field '${match[1]}' returns ${typeName} but has selections)`,
          extensions: { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName },
        };
      }
      break;
    case "NoUnusedVariablesRule":
      if ((match = /^Variable "\$([^"]+)" is never used/.exec(m))) {
        return {
          ...base,
          message: `Variable $${match[1]} is declared by ${operationLabel} but not used`,
          extensions: { code: "variableNotUsed", variableName: match[1] },
        };
      }
      break;
    case "NoUndefinedVariablesRule":
      if ((match = /^Variable "\$([^"]+)" is not defined/.exec(m))) {
        return {
          ...base,
          message: `Variable $${match[1]} is used by ${operationLabel} but not declared`,
          extensions: { code: "variableNotDefined", variableName: match[1] },
        };
      }
      break;
    case "KnownTypeNamesRule":
      if ((match = /^Unknown type "([^"]+)"/.exec(m))) {
        return { ...base, message: `No such type ${match[1]}, so it can't be a fragment condition`, extensions: { code: "undefinedType", typeName: match[1] } };
      }
      break;
    case "VariablesAreInputTypesRule":
      if ((match = /^Variable "\$([^"]+)" cannot be non-input type "([^"]+)"/.exec(m))) {
        return {
          ...base,
          message: `${match[2]} isn't a valid input type (on $${match[1]})`,
          extensions: { code: "variableRequiresValidType", typeName: match[2], variableName: match[1] },
        };
      }
      break;
    case "ValuesOfCorrectTypeRule": {
      const argumentName = info?.argumentName ?? "";
      const fieldName = info?.fieldName ?? "";
      return {
        ...base,
        message: `Argument '${argumentName}' on Field '${fieldName}' has an invalid value. ${unquote(m)}`,
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName },
      };
    }
    case "KnownFragmentNamesRule":
      if ((match = /^Unknown fragment "([^"]+)"/.exec(m))) {
        return { ...base, message: `Fragment ${match[1]} was used, but not defined`, extensions: { code: "useAndDefineFragment", fragmentName: match[1] } };
      }
      break;
    case "NoUnusedFragmentsRule":
      if ((match = /^Fragment "([^"]+)" is never used/.exec(m))) {
        return { ...base, message: `Fragment ${match[1]} was defined, but not used`, extensions: { code: "useAndDefineFragment", fragmentName: match[1] } };
      }
      break;
    default:
      break;
  }
  // Anything else keeps graphql-js' wording in Shopify's single-quote style, with a code derived from the rule.
  const code = rule.replace(/Rule$/, "").replace(/^./, (c) => c.toLowerCase());
  return { ...base, message: m.replace(/"/g, "'"), extensions: { code } };
}

/** Validates against the schema; returns Shopify-shaped errors (empty when valid). */
export function validateLikeShopify(schema: GraphQLSchema, document: DocumentNode): ShopifyError[] {
  const all: Array<{ rule: string; error: GraphQLError }> = [];
  for (const rule of specifiedRules as readonly ValidationRule[]) {
    for (const error of validate(schema, document, [rule])) all.push({ rule: rule.name, error });
  }
  if (all.length === 0) return [];
  const nodes = indexNodes(document);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const first = operations[0];
  const operationLabel =
    first && first.kind === Kind.OPERATION_DEFINITION && first.name
      ? first.name.value
      : `anonymous ${first && first.kind === Kind.OPERATION_DEFINITION ? first.operation : "query"}`;
  // Sort by position so the first error is the first problem in the document, as graphql-ruby reports.
  all.sort(
    (a, b) =>
      (a.error.locations?.[0]?.line ?? 0) - (b.error.locations?.[0]?.line ?? 0) ||
      (a.error.locations?.[0]?.column ?? 0) - (b.error.locations?.[0]?.column ?? 0),
  );
  return all.map(({ rule, error }) => reword(rule, error, nodes, operationLabel));
}

export function syntaxError(error: GraphQLError): ShopifyError {
  // graphql-ruby: "syntax error, unexpected ... at [line, col]" — keep graphql-js' description, Shopify's framing.
  const loc = error.locations?.[0];
  const detail = error.message.replace(/^Syntax Error: /, "");
  return {
    message: `syntax error, ${detail}${loc ? ` at [${loc.line}, ${loc.column}]` : ""}`,
    locations: loc ? [{ line: loc.line, column: loc.column }] : undefined,
  };
}

export function toShopifyError(error: GraphQLError): ShopifyError {
  const out: ShopifyError = { message: error.message };
  if (error.locations) out.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
  if (error.path) out.path = [...error.path];
  if (error.extensions && Object.keys(error.extensions).length > 0) out.extensions = { ...error.extensions };
  return out;
}
