/**
 * What a simulated provider implements. The gRPC layer (server.ts) decodes the engine's requests
 * into these plain shapes, so a provider is ordinary async code over JSON objects.
 */
import { Props } from "./wire";

/** One input the provider refuses, as Check reports it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Inputs after defaults and autonaming, and any failures. */
export interface CheckResult {
  readonly inputs: Props;
  readonly failures: readonly CheckFailure[];
}

/** Kinds of a detailed diff entry (pulumirpc.PropertyDiff.Kind). */
export type DiffKind =
  "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/** A Diff answer: what changes, what forces a replacement, per property path. */
export interface DiffResult {
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** Property path (`properties.networkAcls.defaultAction`, `tags.owner`) → kind. */
  readonly detailed: Readonly<Record<string, DiffKind>>;
}

export interface CheckRequest {
  readonly type: string;
  readonly urn: string;
  /** The logical name (last URN segment). */
  readonly name: string;
  readonly olds: Props;
  readonly news: Props;
  readonly randomSeed: Uint8Array;
}

export interface DiffRequest {
  readonly type: string;
  readonly id: string;
  readonly urn: string;
  readonly oldInputs: Props;
  readonly oldOutputs: Props;
  readonly news: Props;
}

export interface CreateRequest {
  readonly type: string;
  readonly urn: string;
  readonly inputs: Props;
  readonly preview: boolean;
}

export interface ReadRequest {
  readonly type: string;
  readonly id: string;
  readonly urn: string;
  readonly outputs: Props;
  readonly inputs: Props;
}

export interface UpdateRequest {
  readonly type: string;
  readonly id: string;
  readonly urn: string;
  readonly oldOutputs: Props;
  readonly oldInputs: Props;
  readonly news: Props;
  readonly preview: boolean;
}

export interface DeleteRequest {
  readonly type: string;
  readonly id: string;
  readonly urn: string;
  readonly outputs: Props;
  readonly inputs: Props;
}

/** A resource provider plugin's behaviour. */
export interface SimulatedProvider {
  /** Package name (`azure-native`). */
  readonly name: string;
  /** Version the engine asked for, read from the SDK's package.json. */
  readonly version: string;
  /** Stack config of the package (`azure-native:location` → `location`). */
  configure(config: Readonly<Record<string, string>>): void;
  invoke(token: string, args: Props): Promise<Props>;
  check(req: CheckRequest): Promise<CheckResult>;
  diff(req: DiffRequest): Promise<DiffResult>;
  create(req: CreateRequest): Promise<{ id: string; outputs: Props }>;
  /** undefined when the resource no longer exists. */
  read(req: ReadRequest): Promise<{ id: string; outputs: Props; inputs: Props } | undefined>;
  update(req: UpdateRequest): Promise<Props>;
  delete(req: DeleteRequest): Promise<void>;
}
