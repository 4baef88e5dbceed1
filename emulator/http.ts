/**
 * HTTP helpers shared by the data-plane routes: create responses and list paging.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Surface } from "./dataPlane/apiVersion";
import { invalidPayload } from "./errors";

declare module "fastify" {
  interface FastifyRequest {
    /** Surface and api-version of a data-plane request, set by the server's onRequest hook. */
    surface: Surface;
  }
}

/** Origin of the request, for `Location` headers (Azure sends absolute URLs, spec examples). */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/**
 * Answers a create: 201 + `Location` on the dated surface, 200 on v1 (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46).
 * @param path Path of the created entity, without query.
 */
export function created(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  body: Record<string, unknown>,
): FastifyReply {
  if (request.surface.kind === "dated") {
    return reply
      .code(201)
      .header("location", `${requestOrigin(request)}${path}`)
      .send(body);
  }
  return reply.code(200).send(body);
}

/** One page of a newest-first list, cursor `after` = id of the last item already seen. */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  after: string | undefined,
  limit: string | undefined,
  defaultLimit: number,
): { items: T[]; hasMore: boolean } {
  const size = parseLimit(limit, defaultLimit);
  let start = 0;
  if (after) {
    const index = items.findIndex((item) => item.id === after);
    start = index < 0 ? items.length : index + 1;
  }
  const page = items.slice(start, start + size);
  return { items: page, hasMore: start + size < items.length };
}

function parseLimit(limit: string | undefined, defaultLimit: number): number {
  if (limit === undefined || limit === "") {
    return defaultLimit;
  }
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1) {
    throw invalidPayload(
      `The \`limit\` query parameter must be a positive integer, got '${limit}'.`,
      "limit",
    );
  }
  return n;
}
