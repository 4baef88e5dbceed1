/**
 * The pulumirpc.ResourceProvider gRPC service around a SimulatedProvider, hand-rolled on the
 * stubs @pulumi/pulumi ships (proto/provider_grpc_pb) rather than @pulumi/pulumi/provider's
 * `main()`: that one never answers Configure with `supportsPreview`, ignores the provider's
 * config and gives Diff only old outputs, and a simulator must behave like the real providers on
 * all three (https://github.com/pulumi/pulumi/blob/v3.259.0/proto/pulumi/provider.proto).
 *
 * The engine starts the plugin with its address as the argument and reads the port the plugin
 * listens on from the first line of stdout; everything else goes to stderr.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import { DiffKind, SimulatedProvider } from "./provider";
import { clean, Props, unwrap } from "./wire";

// The stubs and the grpc/protobuf runtimes must be the copies @pulumi/pulumi itself resolves:
// message classes from another copy of google-protobuf would not serialize.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const providerGrpc = sdkRequire("./proto/provider_grpc_pb") as typeof providerGrpcTypes;
const proto = sdkRequire("./proto/provider_pb") as typeof providerTypes;
const pluginProto = sdkRequire("./proto/plugin_pb") as typeof pluginTypes;
const structProto = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const emptyProto = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;

type Struct = structTypes.Struct;
type Callback<T> = (err: grpcTypes.ServiceError | null, value?: T) => void;

const KIND: Record<DiffKind, providerTypes.PropertyDiff.Kind> = {
  add: proto.PropertyDiff.Kind.ADD,
  "add-replace": proto.PropertyDiff.Kind.ADD_REPLACE,
  delete: proto.PropertyDiff.Kind.DELETE,
  "delete-replace": proto.PropertyDiff.Kind.DELETE_REPLACE,
  update: proto.PropertyDiff.Kind.UPDATE,
  "update-replace": proto.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** Where the plugin's log lines go (stderr: stdout carries only the port). */
export function log(pkg: string, line: string): void {
  process.stderr.write(`[${pkg} simulator] ${line}\n`);
}

function fromStruct(s: Struct | undefined): Props {
  return s ? (unwrap(s.toJavaScript()) as Props) : {};
}

function toStruct(o: Props): Struct {
  return structProto.Struct.fromJavaScript(clean(o) as Record<string, structTypes.JavaScriptValue>);
}

/** The resource type of a request: its `type` field, else the URN's type segment. */
function typeOf(req: { getType(): string; getUrn(): string }): string {
  return req.getType() || (req.getUrn().split("::")[2] ?? "").split("$").pop() || "";
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? "";
}

/** Wraps an async handler: the answer, or the error's message as the gRPC error the engine prints. */
function unary<Req, Res>(
  pkg: string,
  method: string,
  fn: (req: Req) => Promise<Res> | Res,
): (call: { request: Req }, callback: Callback<Res>) => void {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (err: Error) => {
          log(pkg, `${method} failed: ${err.stack ?? err}`);
          callback({
            name: "Error",
            message: err.message,
            code: grpc.status.UNKNOWN,
            details: err.message,
            metadata: new grpc.Metadata(),
          });
        },
      );
  };
}

function unimplemented(pkg: string, method: string) {
  return (_call: unknown, callback: Callback<never>) =>
    callback({
      name: "Error",
      message: `${method} is not implemented by the ${pkg} simulator`,
      code: grpc.status.UNIMPLEMENTED,
      details: `${method} is not implemented by the ${pkg} simulator`,
      metadata: new grpc.Metadata(),
    });
}

function configFrom(req: providerTypes.ConfigureRequest): Record<string, string> {
  const config: Record<string, string> = {};
  // Variables are keyed `azure-native:config:location` (legacy) or `azure-native:location`.
  req.getVariablesMap().forEach((value, key) => (config[key.split(":").pop() ?? key] = value));
  for (const [key, value] of Object.entries(fromStruct(req.getArgs()))) {
    if (typeof value === "string") config[key] = value;
    else if (value !== undefined && key !== "version") config[key] = JSON.stringify(value);
  }
  return config;
}

function checkHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Check", async (req: providerTypes.CheckRequest) => {
    const out = await provider.check({
      type: typeOf(req),
      urn: req.getUrn(),
      name: req.getName() || nameOf(req.getUrn()),
      olds: fromStruct(req.getOlds()),
      news: fromStruct(req.getNews()),
      randomSeed: req.getRandomseed_asU8(),
    });
    const res = new proto.CheckResponse();
    res.setInputs(toStruct(out.inputs));
    res.setFailuresList(
      out.failures.map((f) => {
        const failure = new proto.CheckFailure();
        failure.setProperty(f.property);
        failure.setReason(f.reason);
        return failure;
      }),
    );
    return res;
  });
}

function diffHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Diff", async (req: providerTypes.DiffRequest) => {
    const d = await provider.diff({
      type: typeOf(req),
      id: req.getId(),
      urn: req.getUrn(),
      oldInputs: fromStruct(req.getOldInputs()),
      oldOutputs: fromStruct(req.getOlds()),
      news: fromStruct(req.getNews()),
    });
    const paths = Object.keys(d.detailed);
    const res = new proto.DiffResponse();
    res.setChanges(
      paths.length > 0
        ? proto.DiffResponse.DiffChanges.DIFF_SOME
        : proto.DiffResponse.DiffChanges.DIFF_NONE,
    );
    res.setReplacesList([...d.replaces]);
    res.setDeletebeforereplace(d.deleteBeforeReplace);
    res.setDiffsList([...new Set(paths.map((p) => p.split(/[.[]/)[0]))]);
    res.setHasdetaileddiff(true);
    const detailed = res.getDetaileddiffMap();
    for (const [path, kind] of Object.entries(d.detailed)) {
      const entry = new proto.PropertyDiff();
      entry.setKind(KIND[kind]);
      entry.setInputdiff(true);
      detailed.set(path, entry);
    }
    return res;
  });
}

function createHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Create", async (req: providerTypes.CreateRequest) => {
    const out = await provider.create({
      type: typeOf(req),
      urn: req.getUrn(),
      inputs: fromStruct(req.getProperties()),
      preview: req.getPreview(),
    });
    const res = new proto.CreateResponse();
    res.setId(out.id);
    res.setProperties(toStruct(out.outputs));
    return res;
  });
}

function readHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Read", async (req: providerTypes.ReadRequest) => {
    const out = await provider.read({
      type: typeOf(req),
      id: req.getId(),
      urn: req.getUrn(),
      outputs: fromStruct(req.getProperties()),
      inputs: fromStruct(req.getInputs()),
    });
    const res = new proto.ReadResponse();
    // An empty id tells the engine the resource is gone.
    res.setId(out?.id ?? "");
    if (out) {
      res.setProperties(toStruct(out.outputs));
      res.setInputs(toStruct(out.inputs));
    }
    return res;
  });
}

function updateHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Update", async (req: providerTypes.UpdateRequest) => {
    const outputs = await provider.update({
      type: typeOf(req),
      id: req.getId(),
      urn: req.getUrn(),
      oldOutputs: fromStruct(req.getOlds()),
      oldInputs: fromStruct(req.getOldInputs()),
      news: fromStruct(req.getNews()),
      preview: req.getPreview(),
    });
    const res = new proto.UpdateResponse();
    res.setProperties(toStruct(outputs));
    return res;
  });
}

function deleteHandler(provider: SimulatedProvider) {
  const pkg = provider.name;
  return unary(pkg, "Delete", async (req: providerTypes.DeleteRequest) => {
    await provider.delete({
      type: typeOf(req),
      id: req.getId(),
      urn: req.getUrn(),
      outputs: fromStruct(req.getProperties()),
      inputs: fromStruct(req.getOldInputs()),
    });
    return new emptyProto.Empty();
  });
}

function resourceHandlers(provider: SimulatedProvider) {
  return {
    check: checkHandler(provider),
    diff: diffHandler(provider),
    create: createHandler(provider),
    read: readHandler(provider),
    update: updateHandler(provider),
    delete: deleteHandler(provider),
  };
}

function service(provider: SimulatedProvider): grpcTypes.UntypedServiceImplementation {
  const pkg = provider.name;
  return {
    handshake: unary(pkg, "Handshake", () => {
      const res = new proto.ProviderHandshakeResponse();
      res.setAcceptSecrets(false);
      res.setAcceptResources(false);
      res.setAcceptOutputs(false);
      return res;
    }),
    parameterize: unimplemented(pkg, "Parameterize"),
    getSchema: unary(pkg, "GetSchema", () => {
      const res = new proto.GetSchemaResponse();
      res.setSchema("{}");
      return res;
    }),
    checkConfig: unary(pkg, "CheckConfig", (req: providerTypes.CheckRequest) => {
      const res = new proto.CheckResponse();
      res.setInputs(req.getNews());
      return res;
    }),
    diffConfig: unary(pkg, "DiffConfig", () => {
      const res = new proto.DiffResponse();
      res.setChanges(proto.DiffResponse.DiffChanges.DIFF_NONE);
      return res;
    }),
    configure: unary(pkg, "Configure", (req: providerTypes.ConfigureRequest) => {
      provider.configure(configFrom(req));
      const res = new proto.ConfigureResponse();
      res.setAcceptsecrets(false);
      res.setAcceptresources(false);
      // Without it the engine never asks for preview outputs, and an update's preview would see
      // response-only fields (an account's endpoint) as known and empty.
      res.setSupportspreview(true);
      return res;
    }),
    invoke: unary(pkg, "Invoke", async (req: providerTypes.InvokeRequest) => {
      const res = new proto.InvokeResponse();
      res.setReturn(toStruct(await provider.invoke(req.getTok(), fromStruct(req.getArgs()))));
      return res;
    }),
    call: unimplemented(pkg, "Call"),
    ...resourceHandlers(provider),
    list: (call: grpcTypes.ServerWritableStream<unknown, unknown>) =>
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: "List" }),
    construct: unimplemented(pkg, "Construct"),
    // Operations are single HTTP exchanges and LRO polls; nothing to abandon early.
    cancel: unary(pkg, "Cancel", () => new emptyProto.Empty()),
    getPluginInfo: unary(pkg, "GetPluginInfo", () => {
      const res = new pluginProto.PluginInfo();
      res.setVersion(provider.version);
      return res;
    }),
    attach: unary(pkg, "Attach", () => new emptyProto.Empty()),
    getMapping: unimplemented(pkg, "GetMapping"),
    getMappings: unimplemented(pkg, "GetMappings"),
  };
}

/**
 * Serves the provider on 127.0.0.1 and prints the port on stdout (the engine's handshake).
 * Config from `PULUMI_CONFIG` (set by the engine) is applied before Configure arrives.
 */
export async function servePlugin(provider: SimulatedProvider): Promise<grpcTypes.Server> {
  try {
    const config = JSON.parse(process.env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
    provider.configure(
      Object.fromEntries(Object.entries(config).map(([k, v]) => [k.split(":").pop() ?? k, v])),
    );
  } catch {
    // Configure carries the same values.
  }
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerGrpc.ResourceProviderService, service(provider));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  process.stdout.write(`${port}\n`);
  return server;
}
