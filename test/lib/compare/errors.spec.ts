import { expect } from "chai";
import { APIConnectionError, NotFoundError, OpenAIError, PermissionDeniedError } from "openai";
import { classifyCallError } from "../../../lib/compare/errors";

const target = {
  endpoint: "https://acct.openai.azure.com",
  deployment: "mini-travel",
  flag: "--tuned",
} as const;

function classified(err: unknown): [number, string] {
  const e = classifyCallError(err, target);
  return [e.exitCode, e.message];
}

describe("compare classifyCallError", () => {
  it("exits 4 when DefaultAzureCredential has no credential", () => {
    const unavailable = Object.assign(new Error("Please run 'az login' to set up an account"), {
      name: "CredentialUnavailableError",
    });
    expect(classified(unavailable)).to.deep.equal([
      4,
      "no credential for https://acct.openai.azure.com: Please run 'az login' to set up an account. " +
        "Set AZURE_OPENAI_API_KEY to a key of the account (refused when the stack sets disableLocalAuth), or unset it and run " +
        "`az login` as an identity holding the role Cognitive Services OpenAI User on the account (new role assignments take up to 5 minutes).",
    ]);
  });

  it("exits 4 when the SDK's token provider failed, keeping the provider's own advice", () => {
    const err = new OpenAIError(
      "Failed to get token from 'apiKey' function: could not get a Microsoft Entra token: no login. " +
        "Sign in (`az login`), or set AZURE_OPENAI_API_KEY.",
    );
    expect(classified(err)).to.deep.equal([
      4,
      "no credential for https://acct.openai.azure.com: could not get a Microsoft Entra token: no login. " +
        "Sign in (`az login`), or set AZURE_OPENAI_API_KEY. The signed-in identity needs the role Cognitive Services " +
        "OpenAI User on the account (new role assignments take up to 5 minutes).",
    ]);
  });

  it("exits 4 for the token error of lib/azure/client.ts, which the SDK passes through", () => {
    const err = new OpenAIError(
      "could not get a Microsoft Entra token for https://cognitiveservices.azure.com/.default (no login); " +
        "sign in (`az login`), or set AZURE_OPENAI_API_KEY",
    );
    expect(classified(err)).to.deep.equal([
      4,
      "no credential for https://acct.openai.azure.com: could not get a Microsoft Entra token for " +
        "https://cognitiveservices.azure.com/.default (no login); sign in (`az login`), or set AZURE_OPENAI_API_KEY. " +
        "The signed-in identity needs the role Cognitive Services OpenAI User on the account " +
        "(new role assignments take up to 5 minutes).",
    ]);
  });

  it("exits 3 for a 404 that is not DeploymentNotFound, pointing at the endpoint too", () => {
    const err = new NotFoundError(
      404,
      { code: "404", message: "Resource not found" },
      undefined,
      new Headers(),
    );
    expect(classified(err)).to.deep.equal([
      3,
      "deployment `mini-travel` on https://acct.openai.azure.com answered 404: Resource not found; " +
        "check --endpoint and --tuned, or run `pulumi up`",
    ]);
  });

  it("exits 4 for a 403, also pointing at the account's network rules", () => {
    const err = new PermissionDeniedError(
      403,
      { code: "403", message: "Traffic is not from an approved private endpoint." },
      undefined,
      new Headers(),
    );
    expect(classified(err)).to.deep.equal([
      4,
      "https://acct.openai.azure.com refused the credential (403): Traffic is not from an approved private endpoint. " +
        "Set AZURE_OPENAI_API_KEY to a key of the account (refused when the stack sets disableLocalAuth), or unset it " +
        "and run `az login` as an identity holding the role Cognitive Services OpenAI User on the account (new role " +
        "assignments take up to 5 minutes). If the account restricts network access, also check the stack's " +
        "publicNetworkAccess and allowedIpRanges.",
    ]);
  });

  it("exits 1 for a connection failure", () => {
    const err = new APIConnectionError({
      message: "Connection error.",
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    });
    expect(classified(err)).to.deep.equal([
      1,
      "chat completion on deployment `mini-travel` on https://acct.openai.azure.com failed: connection error: " +
        "Connection error. (ECONNREFUSED)",
    ]);
  });
});
