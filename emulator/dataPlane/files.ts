/**
 * Files API (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46): multipart upload, list, get, delete, content. Uploaded `fine-tune`
 * files are validated asynchronously: `pending` → `running` → `processed` | `error`.
 */
import type { FastifyInstance } from "fastify";
import { formatBytes } from "../../lib/format";
import { fileTooLarge, invalidPayload, notFound, quotaExceeded } from "../errors";
import { EmulatorContext, FileRecord, newHex } from "../state";
import { created, paginate } from "../http";
import { readMultipart } from "./multipart";
import { validateContent } from "./trainingContent";

/** Purposes a client may upload with (dated enum minus service-generated purposes; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097). */
export const UPLOAD_PURPOSES: readonly string[] = ["fine-tune", "batch", "assistants", "evals"];

/** Renders a file the way Azure returns it. */
export function fileJson(file: FileRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {
    object: "file",
    id: file.id,
    created_at: file.createdAt,
    status: file.status,
    bytes: file.bytes,
    purpose: file.purpose,
    filename: file.filename,
  };
  if (file.statusDetails !== null) {
    body.status_details = file.statusDetails;
  }
  if (file.expiresAt !== null) {
    body.expires_at = file.expiresAt;
  }
  return body;
}

/**
 * Reads `expires_after` ({anchor: "created_at", seconds: 3600 to 2592000}, the Files and Uploads
 * APIs' expiration policy in the openai v1 spec); null when absent.
 */
export function parseExpiresAfter(anchor: unknown, seconds: unknown): number | null {
  if (anchor === undefined && seconds === undefined) {
    return null;
  }
  const n = typeof seconds === "string" && seconds !== "" ? Number(seconds) : seconds;
  if (
    anchor !== "created_at" ||
    typeof n !== "number" ||
    !Number.isInteger(n) ||
    n < 3600 ||
    n > 2592000
  ) {
    throw invalidPayload(
      "`expires_after` must be {anchor: 'created_at', seconds: 3600 to 2592000}.",
      "expires_after",
    );
  }
  return n;
}

/** Drops files whose `expires_after` has passed, as the service deletes them. */
export function dropExpiredFiles(ctx: EmulatorContext): void {
  const now = ctx.nowSeconds();
  for (const file of [...ctx.state.files.values()]) {
    if (file.expiresAt !== null && now >= file.expiresAt) {
      ctx.state.files.delete(file.id);
      file.status = "deleted";
    }
  }
}

/**
 * Stores a client file after Azure's per-resource quotas (https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits) and starts its processing.
 * @param maxBytes Largest size allowed for this route (Files API 512 MB; Uploads API 9 GB).
 */
export function createFile(
  ctx: EmulatorContext,
  input: { filename: string; purpose: string; content: Buffer; expiresAfter?: number | null },
  maxBytes: number,
): FileRecord {
  const { limits } = ctx.settings;
  if (input.content.length > maxBytes) {
    throw fileTooLarge(maxBytes);
  }
  if (ctx.state.files.size >= limits.maxFiles) {
    // Wording follows the observed batch-file quota error (azure-sdk-for-java#47401).
    throw quotaExceeded(`The quota for files is reached. The maximum is ${limits.maxFiles}.`);
  }
  const used = [...ctx.state.files.values()].reduce((sum, f) => sum + f.bytes, 0);
  if (used + input.content.length > limits.maxTotalFileBytes) {
    throw quotaExceeded(
      `The total size of all files would exceed the quota of ${formatBytes(limits.maxTotalFileBytes)} ` +
        `(${used} bytes used, ${input.content.length} bytes uploaded). Delete files that are no longer needed.`,
    );
  }
  const file: FileRecord = {
    id: `file-${newHex()}`,
    filename: input.filename,
    purpose: input.purpose,
    bytes: input.content.length,
    createdAt: ctx.nowSeconds(),
    status: "pending",
    statusDetails: null,
    content: input.content,
    expiresAt: input.expiresAfter ? ctx.nowSeconds() + input.expiresAfter : null,
  };
  ctx.state.files.set(file.id, file);
  scheduleProcessing(ctx, file);
  ctx.log(`emulator: file ${file.id} (${file.filename}, ${file.bytes} bytes) uploaded: pending`);
  return file;
}

/** Stores a file the service itself produces (results.csv), already processed and outside the quotas. */
export function addServiceFile(
  ctx: EmulatorContext,
  input: { filename: string; purpose: string; content: Buffer },
): FileRecord {
  const file: FileRecord = {
    id: `file-${newHex()}`,
    filename: input.filename,
    purpose: input.purpose,
    bytes: input.content.length,
    createdAt: ctx.nowSeconds(),
    status: "processed",
    statusDetails: null,
    content: input.content,
    expiresAt: null,
  };
  ctx.state.files.set(file.id, file);
  return file;
}

function scheduleProcessing(ctx: EmulatorContext, file: FileRecord): void {
  const total = ctx.settings.fileProcessingMs;
  const current = () => ctx.state.files.get(file.id) === file;
  ctx.schedule(total / 2, () => {
    if (current() && file.status === "pending") {
      file.status = "running";
    }
  });
  ctx.schedule(total, () => {
    if (!current()) {
      return;
    }
    if (file.purpose !== "fine-tune") {
      file.status = "processed";
      return;
    }
    void validateContent(file.content, file.filename).then((verdict) => {
      if (!current()) {
        return;
      }
      if (verdict.valid) {
        file.training = { examples: verdict.examples, totalTokens: verdict.totalTokens };
        file.status = "processed";
      } else {
        file.status = "error";
        file.statusDetails = verdict.statusDetails;
      }
      ctx.log(`emulator: file ${file.id} ${file.status}`);
    });
  });
}

function findFile(ctx: EmulatorContext, id: string): FileRecord {
  dropExpiredFiles(ctx);
  const file = ctx.state.files.get(id);
  if (!file) {
    throw notFound(`File with id '${id}' was not found.`);
  }
  return file;
}

/** Registers the Files API on both surfaces. */
export function registerFileRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const base of ["/openai", "/openai/v1"]) {
    app.post(`${base}/files`, async (request, reply) => {
      const { fields, file } = await readMultipart(
        request,
        "file",
        ctx.settings.limits.maxFileBytes,
        true,
      );
      const purpose = fields.purpose;
      if (!purpose) {
        throw invalidPayload(
          "The `purpose` field is required; use `fine-tune` for training data.",
          "purpose",
        );
      }
      if (!UPLOAD_PURPOSES.includes(purpose)) {
        throw invalidPayload(
          `The purpose '${purpose}' is not supported for uploads; use one of: ${UPLOAD_PURPOSES.join(", ")}.`,
          "purpose",
        );
      }
      if (!file) {
        throw invalidPayload("The `file` field is required.", "file");
      }
      if (file.filename.trim() === "") {
        throw invalidPayload(
          "The file has no name; send a filename in the part's Content-Disposition.",
          "file",
        );
      }
      const expiresAfter = parseExpiresAfter(
        fields["expires_after[anchor]"],
        fields["expires_after[seconds]"],
      );
      const record = createFile(
        ctx,
        { filename: file.filename, purpose, content: file.data, expiresAfter },
        ctx.settings.limits.maxFileBytes,
      );
      return created(request, reply, `/openai/files/${record.id}`, fileJson(record));
    });

    app.get(`${base}/files`, async (request) => {
      dropExpiredFiles(ctx);
      const query = request.query as Record<string, string | undefined>;
      const files = [...ctx.state.files.values()]
        .reverse()
        .filter((f) => !query.purpose || f.purpose === query.purpose);
      if (!request.surface.preview) {
        // The GA dated list has no paging parameters or fields (2024-10-21 authoring spec).
        return { object: "list", data: files.map(fileJson) };
      }
      // Preview dated versions and v1 take limit/after/order and answer with paging fields.
      const ordered = query.order === "asc" ? files.reverse() : files;
      const page = paginate(ordered, query.after, query.limit, 10000);
      return {
        object: "list",
        data: page.items.map(fileJson),
        first_id: page.items[0]?.id ?? null,
        last_id: page.items[page.items.length - 1]?.id ?? null,
        has_more: page.hasMore,
      };
    });

    app.get(`${base}/files/:fileId`, async (request) => {
      return fileJson(findFile(ctx, (request.params as { fileId: string }).fileId));
    });

    app.delete(`${base}/files/:fileId`, async (request) => {
      // Azure allows deleting a file a job used (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097, DELETE /files/{file-id}).
      const file = findFile(ctx, (request.params as { fileId: string }).fileId);
      ctx.state.files.delete(file.id);
      file.status = "deleted";
      return { object: "file", deleted: true, id: file.id };
    });

    app.get(`${base}/files/:fileId/content`, async (request, reply) => {
      const file = findFile(ctx, (request.params as { fileId: string }).fileId);
      return reply.type("application/octet-stream").send(file.content);
    });
  }
}
