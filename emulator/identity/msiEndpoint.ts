/**
 * The App Service managed-identity endpoint (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`) that
 * @azure/identity's ManagedIdentityCredential and DefaultAzureCredential call:
 * `GET /msi/token?api-version=2019-08-01&resource=<resource>` with header `x-identity-header`,
 * optionally `client_id` / `principal_id` / `object_id` for a user-assigned identity; answer
 * `{access_token, expires_on (epoch seconds, string), resource, token_type, client_id}`
 * (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).
 */
import type { FastifyInstance } from "fastify";
import type { Principal, TokenService } from "./tokens";

/** Path of the endpoint. */
export const MSI_PATH = "/msi/token";

/** Registers the endpoint; `secret` is the `IDENTITY_HEADER` value, `fallback` the default identity. */
export function registerMsiEndpoint(
  app: FastifyInstance,
  tokens: TokenService,
  secret: string,
  fallback: () => Principal,
): void {
  app.get(MSI_PATH, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (request.headers["x-identity-header"] !== secret) {
      // Emulator wording: the endpoint's answer to a wrong header is not documented.
      return reply.code(401).send({
        error: "invalid_request",
        error_description:
          "The x-identity-header header is missing or does not match IDENTITY_HEADER.",
      });
    }
    if (query["api-version"] !== "2019-08-01") {
      return reply.code(400).send({
        error: "invalid_request",
        error_description: `api-version '${query["api-version"] ?? ""}' is not supported; use 2019-08-01.`,
      });
    }
    const resource = query.resource ?? "";
    const audience = tokens.audienceFor(resource);
    if (!audience) {
      // Entra's error for an unknown resource (AADSTS500011).
      return reply.code(400).send({
        error: "invalid_resource",
        error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tokens.tenantId}.`,
      });
    }
    const wanted = query.client_id ?? query.principal_id ?? query.object_id;
    const principal = wanted ? tokens.findPrincipal(wanted) : fallback();
    if (!principal) {
      return reply.code(400).send({
        error: "invalid_request",
        error_description: `No managed identity with id '${wanted}' is assigned to this app.`,
      });
    }
    const token = tokens.issue(principal, audience);
    return reply.send({
      access_token: token.accessToken,
      expires_on: String(token.expiresOn),
      resource,
      token_type: "Bearer",
      client_id: principal.clientId,
    });
  });
}
