/**
 * The azure-native simulator: the real provider's behaviour for the types in resources.ts, over
 * ARM's REST contract, against whatever ARM endpoint the environment names (local Azure in the
 * sandbox). Its Check, Diff, preview outputs and CRUD sequence follow pulumi/pulumi-azure-native
 * provider/pkg/provider/provider.go (v3): autonaming and location defaults in Check, old inputs
 * against new in Diff, inputs plus unknown response-only fields in a preview, and create as
 * GET (must be 404) → PUT → long-running operation → GET.
 */
import { uniqueName } from "../plugin/names";
import { diffInputs } from "../plugin/diff";
import {
  CheckRequest,
  CheckResult,
  CreateRequest,
  DeleteRequest,
  DiffRequest,
  DiffResult,
  ReadRequest,
  SimulatedProvider,
  UpdateRequest,
} from "../plugin/provider";
import { containsUnknown, copy, Props, UNKNOWN } from "../plugin/wire";
import { AUDIENCE, bearerToken, send, waitForArmOperation } from "../azure/rest";
import { ARM_TYPES, ArmResourceType, autonamesWithGuid, pathParameters } from "./resources";
import {
  previewOutputs,
  refreshedInputs,
  requestBody,
  resourceId,
  responseOutputs,
} from "./shapes";

/** Input key azure-native sets on randomly autonamed resources: they replace create-before-delete. */
const CREATE_BEFORE_DELETE = "__createBeforeDelete";
/** api-version azure-native reads resource groups with (getResourceGroup, 3.28.0). */
const RESOURCE_GROUPS_API = "2024-03-01";
/** api-version azure-native reads accounts with (getAccount, 3.28.0: "Uses Azure REST API version 2025-06-01"). */
const ACCOUNTS_API = "2025-06-01";

function armType(token: string): ArmResourceType {
  const type = ARM_TYPES[token];
  if (!type) {
    throw new Error(
      `the azure-native simulator does not model '${token}'; it models ${Object.keys(ARM_TYPES).join(", ")}`,
    );
  }
  return type;
}

/** The claims of a JWT's payload (unverified: the token came from our own credential). */
export function tokenClaims(token: string): Props {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("the access token is not a JWT; cannot read its identity");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Props;
}

/** A UUID made of the first 32 hex characters of the seeded name. */
function seededGuid(seed: Uint8Array): string {
  const hex = uniqueName(seed, "", 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class AzureNativeSimulator implements SimulatedProvider {
  readonly name = "azure-native";
  private config: Record<string, string> = {};

  constructor(readonly version: string) {}

  configure(config: Readonly<Record<string, string>>): void {
    this.config = { ...this.config, ...config };
  }

  private subscriptionId(): string {
    const id =
      this.config.subscriptionId ||
      process.env.ARM_SUBSCRIPTION_ID ||
      process.env.AZURE_SUBSCRIPTION_ID;
    if (!id) {
      throw new Error(
        "no subscription id: set `azure-native:subscriptionId` or ARM_SUBSCRIPTION_ID (the sandbox sets AZURE_SUBSCRIPTION_ID)",
      );
    }
    return id;
  }

  private url(id: string, apiVersion: string): string {
    const arm = (process.env.AZURE_RESOURCE_MANAGER_ENDPOINT ?? AUDIENCE.arm).replace(/\/+$/, "");
    return `${arm}${id}?api-version=${apiVersion}`;
  }

  async invoke(token: string, args: Props): Promise<Props> {
    switch (token) {
      case "azure-native:authorization:getClientConfig": {
        const claims = tokenClaims(await bearerToken(AUDIENCE.arm));
        return {
          clientId: claims.appid ?? claims.azp,
          objectId: claims.oid,
          subscriptionId: this.subscriptionId(),
          tenantId: claims.tid,
        };
      }
      case "azure-native:resources:getResourceGroup": {
        const id = `/subscriptions/${this.subscriptionId()}/resourcegroups/${encodeURIComponent(String(args.resourceGroupName))}`;
        const res = await send("GET", this.url(id, RESOURCE_GROUPS_API), AUDIENCE.arm);
        return { ...res.body, azureApiVersion: RESOURCE_GROUPS_API };
      }
      case "azure-native:cognitiveservices:getAccount": {
        // A connected account (existingAccount) is read, never declared.
        const id =
          `/subscriptions/${this.subscriptionId()}/resourceGroups/${encodeURIComponent(String(args.resourceGroupName))}` +
          `/providers/Microsoft.CognitiveServices/accounts/${encodeURIComponent(String(args.accountName))}`;
        const res = await send("GET", this.url(id, ACCOUNTS_API), AUDIENCE.arm);
        return { ...res.body, azureApiVersion: ACCOUNTS_API };
      }
      default:
        throw new Error(`the azure-native simulator does not model the function '${token}'`);
    }
  }

  async check(req: CheckRequest): Promise<CheckResult> {
    const type = armType(req.type);
    const inputs = copy(req.news);
    const failures: { property: string; reason: string }[] = [];
    const nameKey = type.autoname;
    if (nameKey && inputs[nameKey] === undefined) {
      if (req.olds[nameKey] !== undefined) {
        inputs[nameKey] = req.olds[nameKey];
        if (req.olds[CREATE_BEFORE_DELETE] !== undefined) {
          inputs[CREATE_BEFORE_DELETE] = req.olds[CREATE_BEFORE_DELETE];
        }
      } else {
        inputs[nameKey] = autonamesWithGuid(req.type)
          ? seededGuid(req.randomSeed)
          : uniqueName(req.randomSeed, req.name);
        inputs[CREATE_BEFORE_DELETE] = true;
      }
    }
    if (type.hasLocation && inputs.location === undefined) {
      const location = this.defaultLocation(req.olds, inputs);
      if (location !== undefined) inputs.location = location;
      else
        failures.push({
          property: "location",
          reason:
            "missing required property 'location'. Either set it explicitly or configure it with 'pulumi config set azure-native:location <value>'.",
        });
    }
    for (const name of pathParameters(type)) {
      if (inputs[name] === undefined) {
        failures.push({ property: name, reason: `missing required property '${name}'` });
      }
    }
    if (inputs.azureApiVersion === undefined) inputs.azureApiVersion = type.apiVersion;
    return { inputs, failures };
  }

  /** Old inputs' location, the provider's configured one, or unknown while the group is. */
  private defaultLocation(olds: Props, inputs: Props): unknown {
    if (olds.location !== undefined) return olds.location;
    if (this.config.location) return this.config.location;
    if (inputs.resourceGroupName !== undefined && containsUnknown(inputs.resourceGroupName)) {
      return UNKNOWN;
    }
    return undefined;
  }

  async diff(req: DiffRequest): Promise<DiffResult> {
    const type = armType(req.type);
    return diffInputs(req.oldInputs, req.news, type.replaceOn, {
      deleteBeforeReplace: req.oldInputs[CREATE_BEFORE_DELETE] !== true,
    });
  }

  private apiVersion(type: ArmResourceType, inputs: Props): string {
    return typeof inputs.azureApiVersion === "string" ? inputs.azureApiVersion : type.apiVersion;
  }

  /** PUT, wait for the operation, then GET: the outputs come from the read, as azure-native's readAfterWrite. */
  private async put(type: ArmResourceType, id: string, inputs: Props): Promise<Props> {
    const url = this.url(id, this.apiVersion(type, inputs));
    const res = await send("PUT", url, AUDIENCE.arm, { body: requestBody(type, inputs) });
    await waitForArmOperation("PUT", url, res);
    const read = await send("GET", url, AUDIENCE.arm);
    return read.body ?? {};
  }

  async create(req: CreateRequest): Promise<{ id: string; outputs: Props }> {
    const type = armType(req.type);
    if (req.preview) return { id: "", outputs: previewOutputs(type, req.inputs) };
    const id = resourceId(type, req.inputs, this.subscriptionId());
    const apiVersion = this.apiVersion(type, req.inputs);
    const existing = await send("GET", this.url(id, apiVersion), AUDIENCE.arm, { ok: [200, 404] });
    if (existing.status === 200) {
      throw new Error(
        `cannot create already existing resource '${id}'; import it (\`pulumi import\`) or delete it first`,
      );
    }
    const response = await this.put(type, id, req.inputs);
    return {
      id: typeof response.id === "string" ? response.id : id,
      outputs: responseOutputs(type, response, apiVersion),
    };
  }

  async read(req: ReadRequest): Promise<{ id: string; outputs: Props; inputs: Props } | undefined> {
    const type = armType(req.type);
    const apiVersion = this.apiVersion(type, req.inputs);
    const res = await send("GET", this.url(req.id, apiVersion), AUDIENCE.arm, { ok: [200, 404] });
    if (res.status === 404 || !res.body) return undefined;
    const outputs = responseOutputs(type, res.body, apiVersion);
    return { id: req.id, outputs, inputs: refreshedInputs(req.inputs, req.outputs, outputs) };
  }

  async update(req: UpdateRequest): Promise<Props> {
    const type = armType(req.type);
    if (req.preview) {
      // Only the name and location are carried over: every other response-only field may change.
      const outputs = previewOutputs(type, req.news);
      for (const key of ["name", "location"]) {
        if (req.oldOutputs[key] !== undefined) outputs[key] = req.oldOutputs[key];
      }
      return outputs;
    }
    const response = await this.put(type, req.id, req.news);
    return responseOutputs(type, response, this.apiVersion(type, req.news));
  }

  async delete(req: DeleteRequest): Promise<void> {
    const type = armType(req.type);
    const url = this.url(req.id, this.apiVersion(type, req.inputs));
    const res = await send("DELETE", url, AUDIENCE.arm, { ok: [200, 202, 204, 404] });
    if (res.status === 202) await waitForArmOperation("DELETE", url, res);
  }
}
