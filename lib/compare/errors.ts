/**
 * Failures of `npm run compare` and the exit code each one maps to, so scripts and CI can tell a
 * typo from a missing deployment from a refused credential.
 */
import { errorFacts, type ErrorFacts } from "../azure/errors";

/** Exit codes of `npm run compare`. */
export const EXIT = {
  /** Every prompt was answered by both deployments and the reports were written. */
  ok: 0,
  /** An API call failed for another reason (after retries), or a report could not be written. */
  apiFailure: 1,
  /** A flag, the prompts file or the stack lookup is wrong; nothing was called. */
  usage: 2,
  /** A deployment does not exist on the endpoint (404 DeploymentNotFound), or the stack has none yet. */
  deploymentMissing: 3,
  /** The endpoint refused the credential (401/403), or no credential could be obtained. */
  authFailed: 4,
} as const;

/** A failure with the exit code `npm run compare` ends with. */
export class CompareError extends Error {
  /**
   * @param exitCode One of `EXIT`.
   * @param message Names the input at fault and the fix.
   */
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "CompareError";
  }
}

/** A usage error (exit 2). */
export function usageError(message: string): CompareError {
  return new CompareError(EXIT.usage, message);
}

/** Where a failed chat completion was sent. */
export interface CallTarget {
  readonly endpoint: string;
  readonly deployment: string;
  /** The flag that names this deployment: `--base` or `--tuned`. */
  readonly flag: "--base" | "--tuned";
}

/** Error classes of @azure/identity raised when DefaultAzureCredential cannot produce a token. */
const CREDENTIAL_ERRORS = new Set([
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
  "AuthenticationError",
  "AuthenticationRequiredError",
]);

/** How the openai SDK (7.x `_callApiKey`) wraps a failing token provider. */
const TOKEN_PROVIDER_FAILED = /^Failed to get token from 'apiKey' function: /;
/**
 * The error lib/azure/client.ts's token provider throws; it is an OpenAIError, which the SDK
 * passes through without the prefix above, and it keeps no `cause` to find the identity error by.
 */
const ENTRA_TOKEN_FAILED = /^could not get a Microsoft Entra token\b/;

/**
 * Turns a failed chat completion into the error `npm run compare` reports and exits with.
 * @param err The error the last attempt threw (openai SDK or @azure/identity error), not the
 *   retry wrapper's, which drops the error class that tells a missing Entra sign-in apart.
 */
export function classifyCallError(err: unknown, target: CallTarget): CompareError {
  const facts = errorFacts(err);
  const where = `deployment \`${target.deployment}\` on ${target.endpoint}`;
  const credentialFailure = facts.status === undefined ? credentialMessage(err) : undefined;
  if (credentialFailure !== undefined) {
    const fix = /AZURE_OPENAI_API_KEY/.test(credentialFailure) ? ROLE_FIX : AUTH_FIX;
    return new CompareError(
      EXIT.authFailed,
      `no credential for ${target.endpoint}: ${credentialFailure.replace(/\.?$/, ".")} ${fix}`,
    );
  }
  if (facts.status === 404) {
    // Azure answers an unknown deployment with 404 DeploymentNotFound; any other 404 on the
    // inference path means the endpoint is not an Azure OpenAI resource.
    if (facts.code === "DeploymentNotFound") {
      return new CompareError(
        EXIT.deploymentMissing,
        `deployment \`${target.deployment}\` not found on ${target.endpoint}; run \`pulumi up\` or check ${target.flag}`,
      );
    }
    return new CompareError(
      EXIT.deploymentMissing,
      `${where} answered 404${codePart(facts)}: ${facts.message}; check --endpoint and ${target.flag}, or run \`pulumi up\``,
    );
  }
  if (facts.status === 401 || facts.status === 403) {
    // A 403 also comes from the account's firewall, which no credential fixes.
    const network =
      facts.status === 403
        ? " If the account restricts network access, also check the stack's publicNetworkAccess and allowedIpRanges."
        : "";
    return new CompareError(
      EXIT.authFailed,
      `${target.endpoint} refused the credential (${facts.status}): ${facts.message} ${AUTH_FIX}${network}`,
    );
  }
  const name = (err as { name?: unknown } | null)?.name;
  const connection =
    facts.networkCode !== undefined || (typeof name === "string" && name.includes("Connection"));
  const status =
    facts.status !== undefined ? String(facts.status) : connection ? "connection error" : "error";
  const network = facts.networkCode !== undefined ? ` (${facts.networkCode})` : "";
  return new CompareError(
    EXIT.apiFailure,
    `chat completion on ${where} failed: ${status}${codePart(facts)}: ${facts.message}${network}`,
  );
}

/** " <code>" when Azure sent a code that adds to the status ("DeploymentNotFound", not "404"). */
function codePart(facts: ErrorFacts): string {
  return facts.code !== undefined && facts.code !== "" && facts.code !== String(facts.status)
    ? ` ${facts.code}`
    : "";
}

/**
 * The message of a token-acquisition failure in the error's cause chain (without the SDK's
 * prefix), or undefined when the error is something else.
 */
function credentialMessage(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current !== null && typeof current === "object"; depth++) {
    const e = current as { name?: unknown; message?: unknown; cause?: unknown };
    const message = typeof e.message === "string" ? e.message : "";
    if (
      (typeof e.name === "string" && CREDENTIAL_ERRORS.has(e.name)) ||
      TOKEN_PROVIDER_FAILED.test(message) ||
      ENTRA_TOKEN_FAILED.test(message)
    ) {
      return message.replace(TOKEN_PROVIDER_FAILED, "");
    }
    current = e.cause;
  }
  return undefined;
}

const ROLE_FIX =
  "The signed-in identity needs the role Cognitive Services OpenAI User on the account " +
  "(new role assignments take up to 5 minutes).";

const AUTH_FIX =
  "Set AZURE_OPENAI_API_KEY to a key of the account (refused when the stack sets disableLocalAuth), " +
  "or unset it and run `az login` as an identity holding the role Cognitive Services OpenAI User " +
  "on the account (new role assignments take up to 5 minutes).";
