/** Sending a training file to Azure: one multipart request, or the Uploads API in parts. */
import { createHash } from "node:crypto";
import { createReadStream, promises as fsp } from "node:fs";
import type { AzureOpenAI } from "openai";
import type { FileObject } from "openai/resources/files";
import { createOnce, withRetries } from "../../lib/azure/retry";
import { envNumber } from "../../lib/env";
import { formatBytes } from "../../lib/format";
import { listFiles } from "./files";
import {
  DEFAULT_UPLOAD_PART_BYTES,
  TrainingFileProviderInputs,
  UPLOAD_REQUEST_TIMEOUT_MS,
} from "./types";

/** Last path segment, for either separator (a Windows program's state read on Linux still works). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * The name a file is uploaded under: its own name with the first 16 hex digits of its sha256
 * before the extension (`train.jsonl` → `train.0123456789abcdef.jsonl`). With the byte count it
 * finds the file again when an upload's answer was lost (`findUploaded`).
 */
export function uploadName(path: string, sha256: string): string {
  const name = fileName(path);
  const dot = name.lastIndexOf(".");
  const tag = sha256.slice(0, 16);
  return dot > 0 ? `${name.slice(0, dot)}.${tag}${name.slice(dot)}` : `${name}.${tag}`;
}

/** How a file is named: in progress lines, and in Azure. */
export interface UploadNames {
  /** The file's own name, for progress lines. */
  readonly label: string;
  /** The name it is uploaded under (`uploadName`). */
  readonly upload: string;
}

/**
 * An earlier attempt's upload of this content: same upload name (which carries the content hash)
 * and byte count, and not failed or deleted. Undefined when there is none.
 */
export async function findUploaded(
  client: AzureOpenAI,
  name: string,
  bytes: number,
): Promise<FileObject | undefined> {
  for await (const file of listFiles(client)) {
    if (
      file.filename === name &&
      file.bytes === bytes &&
      !["error", "deleting", "deleted"].includes(file.status as string)
    ) {
      return file;
    }
  }
  return undefined;
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

/**
 * Streams the file as one multipart `POST /files`, hashing what is sent. After an ambiguous
 * failure the files are listed first, and an upload that arrived is taken instead of re-sending.
 */
export async function uploadWhole(
  client: AzureOpenAI,
  inputs: TrainingFileProviderInputs,
  names: UploadNames,
  bytes: number,
  log: (line: string) => void,
): Promise<{ file: FileObject; sha256: string }> {
  const { toStreamingFile } = require("openai") as typeof import("openai");
  let sha256 = "";
  const send = async () => {
    // Rebuilt per attempt: a retry must send the file from its first byte.
    const hash = createHash("sha256");
    const report = progressReporter(`training file ${names.label}`, bytes, log);
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
        file: toStreamingFile(content(), names.upload, { type: "application/jsonl" }),
        purpose: inputs.purpose as "fine-tune",
      },
      { timeout: UPLOAD_REQUEST_TIMEOUT_MS },
    );
  };
  const earlier = async () => {
    const found = await findUploaded(client, names.upload, bytes);
    if (found) {
      // The name carries the validated content's hash and the size matches: it is this content.
      sha256 = inputs.sha256;
      log(
        `training file ${names.label}: ${found.id} arrived although its answer was lost; not sending again`,
      );
    }
    return found;
  };
  const file = await createOnce("upload training file", send, earlier);
  return { file, sha256 };
}

/** Sends the file through the Uploads API in parts, hashing what is sent; cancels the upload on failure. */
export async function uploadInParts(
  client: AzureOpenAI,
  inputs: TrainingFileProviderInputs,
  names: UploadNames,
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
      filename: names.upload,
      bytes,
      mime_type: "application/jsonl",
    }),
  );
  log(
    `training file ${names.label}: uploading in ${parts} parts of up to ${formatBytes(partBytes)} (${upload.id})`,
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
          { data: await toFile(data, `${names.upload}.part${n}`) },
          { timeout: UPLOAD_REQUEST_TIMEOUT_MS },
        ),
      );
      partIds.push(part.id);
      log(
        `training file ${names.label}: sent part ${n}/${parts}, ${formatBytes(offset + length)} of ${formatBytes(bytes)} ` +
          `(${Math.floor(((offset + length) / bytes) * 100)}%)`,
      );
    }
    const md5Hex = md5.digest("hex");
    const file = await createOnce(
      "complete large-file upload",
      async () => {
        const completed = await client.uploads.complete(upload.id, {
          part_ids: partIds,
          md5: md5Hex,
        });
        if (!completed.file) {
          throw new Error(
            `complete large-file upload failed: Azure returned upload ${upload.id} without a file`,
          );
        }
        return completed.file;
      },
      () => findUploaded(client, names.upload, bytes),
    );
    return { file, sha256: sha.digest("hex") };
  } catch (err) {
    // An unfinished upload holds quota for its 2-hour lifetime; cancel it so nothing is left behind.
    await client.uploads.cancel(upload.id).catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}
