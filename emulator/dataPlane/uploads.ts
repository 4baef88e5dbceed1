/**
 * Uploads API for large files (dated surface only; not in the v1 spec; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097): create an
 * upload, add parts (multipart field `data`), complete with the parts in `part_ids` order, or
 * cancel. Completing produces a file exactly like `POST /files`.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { invalidPayload, notFound, unexpectedEntityState } from "../errors";
import { createFile, fileJson, parseExpiresAfter, UPLOAD_PURPOSES } from "./files";
import { readMultipart } from "./multipart";
import { EmulatorContext, newHex, UploadPartRecord, UploadRecord } from "../state";

/** Uploads expire two hours after creation (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097). */
const UPLOAD_LIFETIME_SECONDS = 2 * 60 * 60;

function uploadJson(ctx: EmulatorContext, upload: UploadRecord): Record<string, unknown> {
  const file = upload.fileId ? ctx.state.files.get(upload.fileId) : undefined;
  return {
    object: "upload",
    id: upload.id,
    created_at: upload.createdAt,
    expires_at: upload.expiresAt,
    bytes: upload.bytes,
    filename: upload.filename,
    purpose: upload.purpose,
    status: upload.status,
    file: file ? fileJson(file) : null,
  };
}

function findUpload(ctx: EmulatorContext, id: string): UploadRecord {
  const upload = ctx.state.uploads.get(id);
  if (!upload) {
    throw notFound(`Upload with id '${id}' was not found.`);
  }
  if (upload.status === "pending" && ctx.nowSeconds() >= upload.expiresAt) {
    upload.status = "expired";
  }
  return upload;
}

function requirePending(upload: UploadRecord, operation: string): void {
  if (upload.status !== "pending") {
    throw unexpectedEntityState(
      `Cannot ${operation} upload '${upload.id}' because its status is '${upload.status}'.`,
    );
  }
}

function createUpload(ctx: EmulatorContext, body: Record<string, unknown>) {
  const { purpose, filename, bytes, mime_type: mimeType } = body;
  if (typeof purpose !== "string" || !UPLOAD_PURPOSES.includes(purpose)) {
    throw invalidPayload(`\`purpose\` must be one of: ${UPLOAD_PURPOSES.join(", ")}.`, "purpose");
  }
  if (typeof filename !== "string" || filename === "") {
    throw invalidPayload("`filename` is required.", "filename");
  }
  const maxBytes = ctx.settings.limits.maxUploadBytes;
  if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 1 || bytes > maxBytes) {
    throw invalidPayload(`\`bytes\` must be an integer from 1 to ${maxBytes}.`, "bytes");
  }
  if (typeof mimeType !== "string" || mimeType === "") {
    throw invalidPayload("`mime_type` is required.", "mime_type");
  }
  const expiresAfter = body.expires_after as { anchor?: unknown; seconds?: unknown } | undefined;
  const fileExpiresAfter =
    expiresAfter === undefined
      ? null
      : parseExpiresAfter(expiresAfter?.anchor ?? null, expiresAfter?.seconds ?? null);
  const createdAt = ctx.nowSeconds();
  const upload: UploadRecord = {
    // Azure's example upload id is `<purpose>-<32 hex>` ("fine-tune-72a2...").
    id: `${purpose}-${newHex()}`,
    filename,
    purpose,
    bytes,
    mimeType,
    createdAt,
    expiresAt: createdAt + UPLOAD_LIFETIME_SECONDS,
    status: "pending",
    parts: [],
    fileId: null,
    fileExpiresAfter,
  };
  ctx.state.uploads.set(upload.id, upload);
  return uploadJson(ctx, upload);
}

function addPart(upload: UploadRecord, data: Buffer, createdAt: number) {
  const part: UploadPartRecord = {
    id: `uplprt-${newHex()}`,
    blockId: createHash("md5").update(newHex()).digest("base64"),
    createdAt,
    data,
  };
  upload.parts.push(part);
  return {
    object: "upload.part",
    id: part.id,
    created_at: part.createdAt,
    upload_id: upload.id,
    azure_block_id: part.blockId,
  };
}

/** The upload's content from the listed parts, checked against its `bytes` and the given MD5. */
function assembleParts(upload: UploadRecord, body: { part_ids?: unknown; md5?: unknown }): Buffer {
  if (!Array.isArray(body.part_ids) || body.part_ids.length === 0) {
    throw invalidPayload("`part_ids` must be a non-empty array of part ids.", "part_ids");
  }
  const parts = body.part_ids.map((partId) => {
    const part = upload.parts.find((p) => p.id === partId || p.blockId === partId);
    if (!part) {
      throw invalidPayload(
        `Part '${String(partId)}' does not belong to upload '${upload.id}'.`,
        "part_ids",
      );
    }
    return part;
  });
  const content = Buffer.concat(parts.map((p) => p.data));
  if (content.length !== upload.bytes) {
    throw invalidPayload(
      `The parts add up to ${content.length} bytes but the upload was created with \`bytes\` ${upload.bytes}.`,
      "part_ids",
    );
  }
  if (body.md5 !== undefined && body.md5 !== "") {
    const md5 = createHash("md5").update(content).digest("hex");
    if (body.md5 !== md5) {
      throw invalidPayload(
        `\`md5\` ${String(body.md5)} does not match the content's MD5 ${md5}.`,
        "md5",
      );
    }
  }
  return content;
}

function completeUpload(
  ctx: EmulatorContext,
  upload: UploadRecord,
  body: { part_ids?: unknown; md5?: unknown },
) {
  requirePending(upload, "complete");
  const content = assembleParts(upload, body);
  const file = createFile(
    ctx,
    {
      filename: upload.filename,
      purpose: upload.purpose,
      content,
      expiresAfter: upload.fileExpiresAfter,
    },
    ctx.settings.limits.maxUploadBytes,
  );
  upload.status = "completed";
  upload.fileId = file.id;
  return uploadJson(ctx, upload);
}

/** Registers the Uploads API (dated surface only: v1 paths fall through to the gateway 404). */
export function registerUploadRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post("/openai/uploads", async (request) =>
    createUpload(ctx, (request.body ?? {}) as Record<string, unknown>),
  );

  app.post("/openai/uploads/:uploadId/parts", async (request) => {
    const upload = findUpload(ctx, (request.params as { uploadId: string }).uploadId);
    requirePending(upload, "add a part to");
    const maxBytes = ctx.settings.limits.maxUploadPartBytes;
    const { file } = await readMultipart(request, "data", maxBytes, false);
    if (!file) {
      throw invalidPayload("The `data` field is required.", "data");
    }
    return addPart(upload, file.data, ctx.nowSeconds());
  });

  app.post("/openai/uploads/:uploadId/complete", async (request) => {
    const upload = findUpload(ctx, (request.params as { uploadId: string }).uploadId);
    return completeUpload(
      ctx,
      upload,
      (request.body ?? {}) as { part_ids?: unknown; md5?: unknown },
    );
  });

  app.post("/openai/uploads/:uploadId/cancel", async (request) => {
    const upload = findUpload(ctx, (request.params as { uploadId: string }).uploadId);
    requirePending(upload, "cancel");
    upload.status = "cancelled";
    return uploadJson(ctx, upload);
  });
}
