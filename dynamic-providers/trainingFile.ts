import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { createReadStream, promises as fsp } from "node:fs";
import type { AzureOpenAI } from "openai";
import type { FileObject } from "openai/resources/files";
import { resolveApiVersion } from "../lib/azure/apiVersion";
import { createAzureOpenAI, normalizeEndpoint } from "../lib/azure/client";
import { isNotFound } from "../lib/azure/errors";
import { withRetries } from "../lib/azure/retry";
import { FINE_TUNABLE_MODEL_IDS, resolveBaseModel } from "../lib/models";
import { validateTrainingFile } from "../lib/trainingData/validate";
import { envNumber } from "../lib/env";
import { formatBytes } from "../lib/format";
import { isUnknown, sleep, UNKNOWN } from "./support";

/** Arguments of a `TrainingFile`. */
export interface TrainingFileArgs {
  /** Endpoint of the Azure OpenAI / AI Services account, e.g. `https://my-account.openai.azure.com/`. */
  readonly endpoint: pulumi.Input<string>;
  /**
   * Path of the JSONL file, relative to the Pulumi program's directory. Only its content matters:
   * moving or renaming a file with the same content changes nothing.
   */
  readonly path: pulumi.Input<string>;
  /** Base model the data is for (full id, alias or `<base>.ft-<id>`): sets the per-example token limit. */
  readonly model: pulumi.Input<string>;
  /** Azure file purpose; default and only value "fine-tune" (training and validation data). */
  readonly purpose?: pulumi.Input<string>;
  /** Planned epochs, for the billed-token estimate; unset means "auto" (estimated with `autoEpochs`). */
  readonly epochs?: pulumi.Input<number>;
  /** Refuse the file (at preview, before any upload) when the estimated billed tokens exceed this. */
  readonly maxBilledTokens?: pulumi.Input<number>;
  /** Where the cap is set (e.g. the stack config key), named in the refusal; default `maxBilledTokens`. */
  readonly maxBilledTokensSetting?: pulumi.Input<string>;
  /** Data-plane api-version; default `DEFAULT_API_VERSION` (lib/azure/apiVersion.ts). */
  readonly apiVersion?: pulumi.Input<string>;
}

/** Inputs after `check`: the args plus what the program's validation measured. */
interface TrainingFileProviderInputs {
  endpoint: string;
  path: string;
  model: string;
  purpose: string;
  epochs?: number;
  maxBilledTokens?: number;
  maxBilledTokensSetting?: string;
  apiVersion?: string;
  sha256: string;
  bytes: number;
  examples: number;
  totalTokens: number;
  estimatedBilledTokens: number;
}

interface TrainingFileProviderOutputs extends TrainingFileProviderInputs {
  fileId: string;
  status: string;
  filename: string;
}

/**
 * What the program measured about the file (TrainingFile class, at construction): the validator
 * cannot travel in the serialized provider (its tokenizer tables and caches are module-level
 * native objects), so it runs in the program and `check` turns its verdict into failures.
 */
interface ContentCheck {
  sha256: string;
  bytes: number;
  examples: number;
  totalTokens: number;
  estimatedBilledTokens: number;
  epochs: number;
  epochsAuto: boolean;
  /** The validator's first "file:line: reason" errors. */
  errors: string[];
  errorCount: number;
  /** A problem with the inputs rather than the content (missing file, unknown model). */
  problem?: { property: string; reason: string };
}

const PURPOSES = ["fine-tune"];
/** Check failures listed one by one; the rest are counted. */
const MAX_LISTED_ERRORS = 10;
/** Above this the Uploads API is used: plain `POST /files` fails on JSONL over ~150 MB (anchors §2.4). */
const DEFAULT_UPLOAD_THRESHOLD_BYTES = 100 * 1024 * 1024;
/** Uploads API part size; OpenAI's limit per part is 64 MB. */
const DEFAULT_UPLOAD_PART_BYTES = 64 * 1024 * 1024;
const FILE_PROCESSING_TIMEOUT_MS = 60 * 60 * 1000;
const UPLOAD_REQUEST_TIMEOUT_MS = 30 * 60 * 1000;

/** Last path segment, for either separator (a Windows program's state read on Linux still works). */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Logs "sent X of Y (N%)" when the upload passes a quarter of the file (once per chunk). */
function progressReporter(
  label: string,
  total: number,
  log: (line: string) => void,
): (sent: number) => void {
  let reported = 0;
  return (sent) => {
    const quarter = total === 0 ? 4 : Math.min(4, Math.floor((sent / total) * 4));
    if (quarter > reported) {
      reported = quarter;
      log(
        `${label}: sent ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor((sent / total) * 100)}%)`,
      );
    }
  };
}

/** Streams the file as one multipart `POST /files`, hashing what is sent. */
async function uploadWhole(
  client: AzureOpenAI,
  inputs: TrainingFileProviderInputs,
  filename: string,
  bytes: number,
  log: (line: string) => void,
): Promise<{ file: FileObject; sha256: string }> {
  const { toStreamingFile } = require("openai") as typeof import("openai");
  let sha256 = "";
  const file = await withRetries("upload training file", async () => {
    // Rebuilt per attempt: a retry must send the file from its first byte.
    const hash = createHash("sha256");
    const report = progressReporter(`training file ${filename}`, bytes, log);
    let sent = 0;
    async function* content(): AsyncGenerator<Buffer> {
      for await (const chunk of createReadStream(inputs.path, { highWaterMark: 1024 * 1024 })) {
        const buffer = chunk as Buffer;
        hash.update(buffer);
        sent += buffer.length;
        yield buffer;
        report(sent);
      }
      sha256 = hash.digest("hex");
    }
    return client.files.create(
      {
        file: toStreamingFile(content(), filename, { type: "application/jsonl" }),
        purpose: inputs.purpose as "fine-tune",
      },
      { timeout: UPLOAD_REQUEST_TIMEOUT_MS },
    );
  });
  return { file, sha256 };
}

/** Sends the file through the Uploads API in parts, hashing what is sent; cancels the upload on failure. */
async function uploadInParts(
  client: AzureOpenAI,
  inputs: TrainingFileProviderInputs,
  filename: string,
  bytes: number,
  log: (line: string) => void,
): Promise<{ file: FileObject; sha256: string }> {
  const { toFile } = require("openai") as typeof import("openai");
  const partBytes = Math.floor(
    envNumber("AZURE_OPENAI_UPLOAD_PART_BYTES", DEFAULT_UPLOAD_PART_BYTES),
  );
  const parts = Math.ceil(bytes / partBytes);
  const upload = await withRetries("start large-file upload", () =>
    client.uploads.create({
      purpose: inputs.purpose as "fine-tune",
      filename,
      bytes,
      mime_type: "application/jsonl",
    }),
  );
  log(
    `training file ${filename}: uploading in ${parts} parts of up to ${formatBytes(partBytes)} (${upload.id})`,
  );
  const handle = await fsp.open(inputs.path, "r");
  try {
    const sha = createHash("sha256");
    const md5 = createHash("md5");
    const partIds: string[] = [];
    for (let n = 1, offset = 0; offset < bytes; n++, offset += partBytes) {
      const length = Math.min(partBytes, bytes - offset);
      const data = Buffer.alloc(length);
      const { bytesRead } = await handle.read(data, 0, length, offset);
      if (bytesRead !== length) {
        throw new Error(
          `\`path\` "${inputs.path}" shrank while it was being uploaded; run \`pulumi up\` again`,
        );
      }
      sha.update(data);
      md5.update(data);
      const part = await withRetries(`upload part ${n}/${parts} of training file`, async () =>
        client.uploads.parts.create(
          upload.id,
          { data: await toFile(data, `${filename}.part${n}`) },
          { timeout: UPLOAD_REQUEST_TIMEOUT_MS },
        ),
      );
      partIds.push(part.id);
      log(
        `training file ${filename}: sent part ${n}/${parts}, ${formatBytes(offset + length)} of ${formatBytes(bytes)} ` +
          `(${Math.floor(((offset + length) / bytes) * 100)}%)`,
      );
    }
    const completed = await withRetries("complete large-file upload", () =>
      client.uploads.complete(upload.id, { part_ids: partIds, md5: md5.digest("hex") }),
    );
    if (!completed.file) {
      throw new Error(
        `complete large-file upload failed: Azure returned upload ${upload.id} without a file`,
      );
    }
    return { file: completed.file, sha256: sha.digest("hex") };
  } catch (err) {
    // An unfinished upload holds quota for its 2-hour lifetime; cancel it so nothing is left behind.
    await client.uploads.cancel(upload.id).catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}

async function deleteFileQuietly(client: AzureOpenAI, fileId: string): Promise<void> {
  try {
    await withRetries("delete training file", () => client.files.delete(fileId));
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
  }
}

/** Polls the file until Azure has validated it: 0.25 s, 0.5 s, 1 s, ... up to 10 s between polls. */
async function waitForProcessing(
  client: AzureOpenAI,
  file: FileObject,
  filename: string,
  log: (line: string) => void,
): Promise<FileObject> {
  const started = Date.now();
  let current = file;
  let delayMs = 250;
  // Azure reports pending/running before processed or error (facts §1.4); the SDK types miss them.
  while (!["processed", "error", "deleted"].includes(current.status as string)) {
    if (Date.now() - started > FILE_PROCESSING_TIMEOUT_MS) {
      await deleteFileQuietly(client, file.id);
      throw new Error(
        `training file ${filename} (${file.id}) was still "${current.status}" after ${FILE_PROCESSING_TIMEOUT_MS / 60000} ` +
          "minutes of processing; it was deleted. Run `pulumi up` again.",
      );
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 10_000);
    const previous = current.status;
    current = await withRetries("read training file status", () => client.files.retrieve(file.id));
    if (current.status !== previous) {
      log(`training file ${filename} (${file.id}): ${previous} → ${current.status}`);
    }
  }
  return current;
}

/**
 * Validates the training file and hashes it, in the Pulumi program (never in the provider).
 * @param path File path, relative to the program's directory.
 * @param model Base model whose per-example token limit applies.
 * @param epochs Planned epochs for the billed-token estimate; undefined means "auto".
 * @param warn Receives the validator's warnings.
 */
export async function checkTrainingContent(
  path: string,
  model: string,
  epochs: number | undefined,
  warn: (message: string) => void,
): Promise<ContentCheck> {
  const problem = (property: string, reason: string): ContentCheck => ({
    sha256: "",
    bytes: 0,
    examples: 0,
    totalTokens: 0,
    estimatedBilledTokens: 0,
    epochs: 1,
    epochsAuto: true,
    errors: [],
    errorCount: 0,
    problem: { property, reason },
  });
  if (typeof path !== "string" || path === "") {
    return problem(
      "path",
      "`path` must be the path of a JSONL training file, relative to the Pulumi program",
    );
  }
  if (typeof model !== "string" || resolveBaseModel(model) === undefined) {
    return problem(
      "model",
      `\`model\` ${JSON.stringify(model)} is not fine-tunable; use one of: ${FINE_TUNABLE_MODEL_IDS.join(", ")}`,
    );
  }
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) {
    return problem(
      "epochs",
      `\`epochs\` ${JSON.stringify(epochs)} must be a whole number of at least 1, or unset for "auto"`,
    );
  }
  let report;
  try {
    report = await validateTrainingFile(path, { model, epochs, displayName: path });
  } catch (err) {
    if ((err as Error).name === "ValidationUsageError") {
      return problem("path", `\`path\`: ${(err as Error).message}`);
    }
    throw err;
  }
  for (const warning of report.warnings) {
    warn(warning);
  }
  return {
    sha256: report.sha256 as string,
    bytes: report.bytes,
    examples: report.examples,
    totalTokens: report.totalTokens,
    estimatedBilledTokens: report.estimatedBilledTokens,
    epochs: report.epochs,
    epochsAuto: report.epochsAuto,
    errors: report.errors,
    errorCount: report.errorCount,
  };
}

/**
 * Uploads a validated JSONL training file to Azure OpenAI and waits until Azure has processed it.
 * `check` turns the program's validation into failures (no API call, so `pulumi preview` catches
 * bad data); the file is replaced only when its content (sha256), the endpoint or the purpose changes.
 */
export const trainingFileProvider: pulumi.dynamic.ResourceProvider<
  TrainingFileProviderInputs,
  TrainingFileProviderOutputs
> = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const { content, ...rest } = news as TrainingFileProviderInputs & { content?: ContentCheck };
    const inputs: TrainingFileProviderInputs = { ...rest, purpose: rest.purpose ?? "fine-tune" };

    if (typeof inputs.endpoint !== "string" || inputs.endpoint === "") {
      fail(
        "endpoint",
        "`endpoint` must be the account endpoint, e.g. https://<account>.openai.azure.com/",
      );
    } else if (!isUnknown(inputs.endpoint)) {
      try {
        inputs.endpoint = normalizeEndpoint(inputs.endpoint);
      } catch (err) {
        fail("endpoint", (err as Error).message);
      }
    }
    if (!isUnknown(inputs.purpose) && !PURPOSES.includes(inputs.purpose)) {
      fail(
        "purpose",
        `\`purpose\` "${inputs.purpose}" is not supported; TrainingFile uploads fine-tuning data, use "fine-tune"`,
      );
    }
    if (inputs.apiVersion !== undefined && !isUnknown(inputs.apiVersion)) {
      try {
        resolveApiVersion(inputs.apiVersion);
      } catch (err) {
        fail("apiVersion", (err as Error).message);
      }
    }
    if (
      inputs.maxBilledTokens !== undefined &&
      !isUnknown(inputs.maxBilledTokens) &&
      !(typeof inputs.maxBilledTokens === "number" && inputs.maxBilledTokens > 0)
    ) {
      fail(
        "maxBilledTokens",
        `\`maxBilledTokens\` ${JSON.stringify(inputs.maxBilledTokens)} must be a number greater than 0`,
      );
    }
    if (content === undefined || isUnknown(content)) {
      if (content === undefined) {
        fail(
          "path",
          "`path` has not been validated; create the resource through the TrainingFile class",
        );
      }
      // Known once the program's outputs resolve (preview of a new stack); `diff` treats it as a content change.
      return { inputs: { ...inputs, sha256: UNKNOWN }, failures };
    }
    if (content.problem) {
      fail(content.problem.property, content.problem.reason);
      return { inputs, failures };
    }
    for (const error of content.errors.slice(0, MAX_LISTED_ERRORS)) {
      fail("path", error);
    }
    if (content.errorCount > MAX_LISTED_ERRORS) {
      fail(
        "path",
        `… and ${content.errorCount - MAX_LISTED_ERRORS} more problems in ${inputs.path}; ` +
          `run \`npm run validate -- ${inputs.path} --model ${inputs.model}\` to list them`,
      );
    }
    if (
      inputs.maxBilledTokens !== undefined &&
      content.estimatedBilledTokens > inputs.maxBilledTokens
    ) {
      const how = `${content.totalTokens} tokens × ${content.epochs} epochs${content.epochsAuto ? ', the likely "auto" count' : ""}`;
      fail(
        "maxBilledTokens",
        `training on ${inputs.path} would bill about ${content.estimatedBilledTokens} tokens (${how}), above ` +
          `\`${inputs.maxBilledTokensSetting ?? "maxBilledTokens"}\` ${inputs.maxBilledTokens}; shrink the data, lower the epochs, or raise the cap`,
      );
    }
    return {
      inputs: {
        ...inputs,
        sha256: content.sha256,
        bytes: content.bytes,
        examples: content.examples,
        totalTokens: content.totalTokens,
        estimatedBilledTokens: content.estimatedBilledTokens,
      },
      failures,
    };
  },

  async diff(_id, olds, news) {
    // Only the uploaded object matters: the path is where the content comes from, not what it is.
    const replaces = (["sha256", "endpoint", "purpose"] as const).filter(
      (key) => olds[key] !== news[key],
    );
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const log = (line: string) => console.log(line);
    const client = await createAzureOpenAI(inputs.endpoint, { apiVersion: inputs.apiVersion });
    const filename = fileName(inputs.path);
    const { size: bytes } = await fsp.stat(inputs.path);
    const threshold = envNumber(
      "AZURE_OPENAI_UPLOAD_THRESHOLD_BYTES",
      DEFAULT_UPLOAD_THRESHOLD_BYTES,
    );
    log(`training file ${filename}: uploading ${formatBytes(bytes)} to ${inputs.endpoint}`);
    const sent =
      bytes > threshold
        ? await uploadInParts(client, inputs, filename, bytes, log)
        : await uploadWhole(client, inputs, filename, bytes, log);
    if (sent.sha256 !== inputs.sha256) {
      await deleteFileQuietly(client, sent.file.id);
      throw new Error(
        `\`path\` "${inputs.path}" changed between validation and upload (sha256 ${sent.sha256}, validated ` +
          `${inputs.sha256}); the upload was deleted. Run \`pulumi up\` again.`,
      );
    }
    log(`training file ${filename}: uploaded as ${sent.file.id}; waiting for Azure to process it`);
    const processed = await waitForProcessing(client, sent.file, filename, log);
    if (processed.status !== "processed") {
      // Leave nothing behind: the engine records no resource for a failed create.
      await deleteFileQuietly(client, sent.file.id);
      const details =
        (processed as { status_details?: string | null }).status_details ?? "no details given";
      throw new Error(
        `training file ${filename} (${sent.file.id}) was rejected by Azure with status "${processed.status}": ${details}. ` +
          "The uploaded file was deleted; fix the data and run `pulumi up` again.",
      );
    }
    return {
      id: processed.id,
      outs: {
        ...inputs,
        fileId: processed.id,
        status: processed.status,
        filename: processed.filename ?? filename,
        bytes: processed.bytes ?? bytes,
      },
    };
  },

  async read(id, stored) {
    // The engine always passes the stored outputs on refresh.
    const props = stored as TrainingFileProviderOutputs;
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    let file: FileObject;
    try {
      file = await withRetries("read training file", () => client.files.retrieve(id));
    } catch (err) {
      if (isNotFound(err)) {
        return { id: "", props: {} as TrainingFileProviderOutputs };
      }
      throw err;
    }
    if ((file.status as string) === "deleted") {
      return { id: "", props: {} as TrainingFileProviderOutputs };
    }
    return {
      id,
      props: { ...props, fileId: id, status: file.status, bytes: file.bytes ?? props.bytes },
    };
  },

  async delete(id, props) {
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    await deleteFileQuietly(client, id);
    console.log(`training file ${props.filename ?? id}: deleted ${id}`);
  },
};

/**
 * A JSONL training (or validation) file uploaded to Azure OpenAI, validated at preview, and
 * processed by Azure before the resource counts as created. Its id feeds a `FineTuningJob`.
 */
export class TrainingFile extends pulumi.dynamic.Resource {
  /** Azure file id (`file-…`), also the resource id. */
  declare readonly fileId: pulumi.Output<string>;
  /** Size in bytes. */
  declare readonly bytes: pulumi.Output<number>;
  /** sha256 of the content: the file is replaced when it changes. */
  declare readonly sha256: pulumi.Output<string>;
  /** Azure processing status ("processed" once created). */
  declare readonly status: pulumi.Output<string>;
  /** Training examples (lines). */
  declare readonly examples: pulumi.Output<number>;
  /** Estimated training tokens for one epoch. */
  declare readonly totalTokens: pulumi.Output<number>;
  /** Estimated billed tokens (tokens × epochs, or per epoch when epochs is "auto"). */
  declare readonly estimatedBilledTokens: pulumi.Output<number>;
  /** File name as uploaded. */
  declare readonly filename: pulumi.Output<string>;
  /** Account endpoint the file lives in. */
  declare readonly endpoint: pulumi.Output<string>;
  /** Azure file purpose. */
  declare readonly purpose: pulumi.Output<string>;

  constructor(name: string, args: TrainingFileArgs, opts?: pulumi.CustomResourceOptions) {
    const content = pulumi
      .all([args.path, args.model, args.epochs])
      .apply(async ([path, model, epochs]) => {
        const checked = await checkTrainingContent(path, model, epochs, (warning) =>
          pulumi.log.warn(`TrainingFile ${name}: ${warning}`),
        );
        // The program's own log reaches `pulumi preview`, so the cost is visible before anything is spent.
        if (!checked.problem && checked.errorCount === 0) {
          const epochsNote = checked.epochsAuto
            ? `${checked.epochs} epochs, the likely "auto" count`
            : `${checked.epochs} epochs`;
          pulumi.log.info(
            `TrainingFile ${name}: ${checked.examples} examples, ${checked.totalTokens} tokens; ` +
              `estimated billed training tokens ${checked.estimatedBilledTokens} (${epochsNote})`,
          );
        }
        return checked;
      });
    super(
      trainingFileProvider,
      name,
      {
        ...args,
        content,
        fileId: undefined,
        bytes: undefined,
        sha256: undefined,
        status: undefined,
        examples: undefined,
        totalTokens: undefined,
        estimatedBilledTokens: undefined,
        filename: undefined,
      },
      opts,
      "azure-openai",
      "TrainingFile",
    );
  }
}
