/**
 * Reads the multipart/form-data bodies of `POST /files` and `POST /uploads/{id}/parts` the way
 * Azure answers them: every malformed body is a 400 (never a 500 that SDKs would retry), a file
 * part without a Content-Type is refused like Azure refuses it, and an oversize file is refused
 * from its declared Content-Length or as soon as the stream passes the limit, never after it has
 * been buffered whole.
 */
import type {} from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { AzureError, fileTooLarge, invalidPayload } from "../errors";

/** Azure's answer to a file part without a Content-Type (Azure/azure-sdk-for-net#44710). */
export const NO_CONTENT_TYPE_MESSAGE = "The file has no or an empty content type specified.";

/** Room for the boundaries, part headers and small fields around the file in a declared length. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Longest part header block the scanner keeps looking at. */
const MAX_HEADER_BYTES = 16 * 1024;

/** A multipart body's fields and its one file. */
export interface MultipartBody {
  readonly fields: Record<string, string>;
  readonly file?: { readonly filename: string; readonly data: Buffer };
}

/** What the scanner saw in one part's headers. */
interface PartHeader {
  readonly name: string | undefined;
  readonly contentType: string;
}

/**
 * Watches the raw body for part headers: the parser (busboy) reports a missing Content-Type as
 * `text/plain`, so whether the client sent one is read here, beside it.
 */
export class PartHeaderScanner {
  readonly headers: PartHeader[] = [];
  private carry: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`--${boundary}`, "latin1");
  }

  /** Feeds the next chunk of the body. */
  push(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const at = data.indexOf(this.delimiter, pos);
      if (at < 0) {
        this.carry = Buffer.from(data.subarray(Math.max(pos, data.length - this.delimiter.length)));
        return;
      }
      const start = at + this.delimiter.length;
      const end = data.indexOf("\r\n\r\n", start);
      if (end < 0) {
        this.carry =
          data.length - at > MAX_HEADER_BYTES ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
        return;
      }
      this.record(data.toString("latin1", start, end));
      pos = end + 4;
    }
  }

  private record(block: string): void {
    const lines = block.split("\r\n").slice(1);
    const header = (name: string) =>
      lines
        .find((line) => line.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    const disposition = header("content-disposition");
    if (disposition === undefined) {
      return;
    }
    this.headers.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
      contentType: header("content-type") ?? "",
    });
  }

  /** Takes the first recorded part with this field name; its Content-Type ("" when none). */
  take(name: string): string | undefined {
    const index = this.headers.findIndex((h) => h.name === name);
    return index < 0 ? undefined : this.headers.splice(index, 1)[0].contentType;
  }
}

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  return match?.[1] ?? match?.[2];
}

function malformed(detail: string): AzureError {
  return invalidPayload(`The request body is not valid multipart/form-data: ${detail}.`);
}

/** Reads one file part to memory, refusing it as soon as it passes `maxBytes`. */
async function readFile(stream: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) {
      throw fileTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Maps what the parser throws to Azure-shaped 400s. */
function toClientError(err: unknown, fileField: string): AzureError {
  if (err instanceof AzureError) {
    return err;
  }
  switch ((err as { code?: string }).code) {
    case "FST_FILES_LIMIT":
      return invalidPayload(`Send exactly one file, in the \`${fileField}\` field.`, fileField);
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return invalidPayload(`The form has too many parts; send \`purpose\` and one file.`);
    default:
      return malformed((err as Error).message.replace(/\.$/, ""));
  }
}

/**
 * Reads the fields and the one file of a multipart request.
 * @param fileField The file's field name (`file` or `data`).
 * @param maxBytes Largest file accepted.
 * @param requireContentType Refuse a file part without a Content-Type, as the Files API does.
 */
export async function readMultipart(
  request: FastifyRequest,
  fileField: string,
  maxBytes: number,
  requireContentType: boolean,
): Promise<MultipartBody> {
  if (!request.isMultipart()) {
    throw invalidPayload("The request must be multipart/form-data.");
  }
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD_BYTES) {
    throw fileTooLarge(maxBytes);
  }
  const boundary = multipartBoundary(request.headers["content-type"]);
  if (!boundary) {
    throw malformed("the Content-Type has no boundary");
  }
  const scanner = new PartHeaderScanner(boundary);
  request.raw.on("data", (chunk: Buffer) => scanner.push(chunk));
  const fields: Record<string, string> = {};
  let file: MultipartBody["file"];
  try {
    const parts = request.parts({
      limits: { fileSize: maxBytes + 1, files: 1, fields: 20, parts: 30, fieldSize: 64 * 1024 },
    });
    for await (const part of parts) {
      if (part.type === "field") {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const contentType = scanner.take(part.fieldname);
      if (requireContentType && contentType === "") {
        throw invalidPayload(NO_CONTENT_TYPE_MESSAGE);
      }
      const data = await readFile(part.file, maxBytes);
      if (part.fieldname === fileField) {
        file = { filename: part.filename, data };
      }
    }
  } catch (err) {
    throw toClientError(err, fileField);
  }
  return { fields, file };
}
