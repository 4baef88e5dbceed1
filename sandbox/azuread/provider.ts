/**
 * The azuread simulator: the bridged provider's behaviour for the types in resources.ts over
 * Microsoft Graph v1.0, against the Graph endpoint the environment names (local Azure in the
 * sandbox). Create POSTs and reads the object back, update PATCHes, delete DELETEs (404 is
 * success), refresh GETs (404 means gone). A preview shows Graph-computed outputs as unknown on
 * create and keeps the old ones on update, as the Terraform bridge plans them.
 */
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
import { copy, Props, UNKNOWN } from "../plugin/wire";
import { AUDIENCE, send } from "../azure/rest";
import { GRAPH_TYPES, GraphResourceType } from "./resources";

function graphType(token: string): GraphResourceType {
  const type = GRAPH_TYPES[token];
  if (!type) {
    throw new Error(
      `the azuread simulator does not model '${token}'; it models ${Object.keys(GRAPH_TYPES).join(", ")}`,
    );
  }
  return type;
}

function graphUrl(path: string): string {
  const base = (process.env.AZURE_GRAPH_ENDPOINT ?? AUDIENCE.graph).replace(/\/+$/, "");
  return `${base}/v1.0${path}`;
}

export class AzureAdSimulator implements SimulatedProvider {
  readonly name = "azuread";

  constructor(readonly version: string) {}

  configure(): void {
    // Nothing this simulator reads: Graph's endpoint and the credential come from the environment.
  }

  async invoke(token: string): Promise<Props> {
    throw new Error(`the azuread simulator does not model the function '${token}'`);
  }

  async check(req: CheckRequest): Promise<CheckResult> {
    graphType(req.type);
    return { inputs: copy(req.news), failures: [] };
  }

  async diff(req: DiffRequest): Promise<DiffResult> {
    return diffInputs(req.oldInputs, req.news, graphType(req.type).replaceOn, {
      deleteBeforeReplace: true,
    });
  }

  async create(req: CreateRequest): Promise<{ id: string; outputs: Props }> {
    const type = graphType(req.type);
    if (req.preview) {
      const outputs = copy(req.inputs);
      for (const key of type.computed) outputs[key] = UNKNOWN;
      return { id: "", outputs };
    }
    const created = await send("POST", graphUrl(type.collection(req.inputs)), AUDIENCE.graph, {
      body: type.body(req.inputs),
      ok: [200, 201],
    });
    const id = type.id(req.inputs, created.body ?? {});
    const read = await send("GET", graphUrl(type.itemPath(id)), AUDIENCE.graph);
    return { id, outputs: type.outputs(req.inputs, read.body ?? {}) };
  }

  async read(req: ReadRequest): Promise<{ id: string; outputs: Props; inputs: Props } | undefined> {
    const type = graphType(req.type);
    const res = await send("GET", graphUrl(type.itemPath(req.id)), AUDIENCE.graph, {
      ok: [200, 404],
    });
    if (res.status === 404 || !res.body) return undefined;
    return { id: req.id, outputs: type.outputs(req.inputs, res.body), inputs: req.inputs };
  }

  async update(req: UpdateRequest): Promise<Props> {
    const type = graphType(req.type);
    if (req.preview) {
      const outputs = { ...req.oldOutputs, ...copy(req.news) };
      return outputs;
    }
    const url = graphUrl(type.itemPath(req.id));
    await send("PATCH", url, AUDIENCE.graph, { body: type.body(req.news), ok: [200, 204] });
    const read = await send("GET", url, AUDIENCE.graph);
    return type.outputs(req.news, read.body ?? {});
  }

  async delete(req: DeleteRequest): Promise<void> {
    const type = graphType(req.type);
    await send("DELETE", graphUrl(type.itemPath(req.id)), AUDIENCE.graph, { ok: [200, 204, 404] });
  }
}
