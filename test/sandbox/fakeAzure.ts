/**
 * A scripted stand-in for ARM, Graph and the managed-identity endpoint, for the simulator's unit
 * tests: it records every request and answers with Azure's status codes and LRO headers. The
 * sandbox itself runs against the project's emulator (emulator/localAzure.ts).
 */
import http from "node:http";
import { AddressInfo } from "node:net";

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly authorization?: string;
}

/** Base64url JSON, unsigned: what the simulator reads the identity from. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

export const CLAIMS = {
  oid: "11111111-1111-4111-8111-111111111111",
  tid: "22222222-2222-4222-8222-222222222222",
  appid: "33333333-3333-4333-8333-333333333333",
};

export interface FakeAzure {
  readonly base: string;
  readonly requests: Recorded[];
  /** Stored resources by path (no query). */
  readonly resources: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/** ARM-like PUT: 201 + Azure-AsyncOperation (Succeeded on first poll); DELETE: 202 + Location. */
export async function startFakeAzure(): Promise<FakeAzure> {
  const requests: Recorded[] = [];
  const resources = new Map<string, Record<string, unknown>>();
  let nextGraphId = 1;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        authorization: req.headers.authorization,
      });
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(json === undefined ? "" : JSON.stringify(json));
      };
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (url.pathname === "/msi/token") {
        const resource = url.searchParams.get("resource");
        return send(200, {
          access_token: fakeJwt({ ...CLAIMS, aud: resource }),
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource,
          token_type: "Bearer",
          client_id: CLAIMS.appid,
        });
      }
      if (url.pathname.startsWith("/ops/")) return send(200, { status: "Succeeded" });
      if (url.pathname.startsWith("/results/")) return send(204);
      if (url.pathname.startsWith("/v1.0/") && req.method === "POST") {
        const id = `obj-${nextGraphId++}`;
        const created = { ...body, id, appId: `app-${id}` };
        resources.set(`${url.pathname.replace(/\/$/, "")}/${id}`, created);
        return send(201, created);
      }
      const path = url.pathname;
      const existing = resources.get(path);
      switch (req.method) {
        case "GET":
          return existing
            ? send(200, existing)
            : send(404, { error: { code: "ResourceNotFound", message: `${path} not found` } });
        case "PUT": {
          const stored = {
            ...body,
            id: path,
            name: path.split("/").pop(),
            type: "Microsoft.Test/things",
            properties: {
              ...(body?.properties ?? {}),
              provisioningState: "Succeeded",
              endpoint: `https://${path.split("/").pop()}.example/`,
            },
          };
          resources.set(path, stored);
          return send(
            existing ? 200 : 201,
            { ...stored, properties: { ...stored.properties, provisioningState: "Creating" } },
            {
              "azure-asyncoperation": `${base}/ops/1`,
            },
          );
        }
        case "PATCH":
          if (!existing)
            return send(404, { error: { code: "Request_ResourceNotFound", message: "gone" } });
          resources.set(path, { ...existing, ...body });
          return send(204);
        case "DELETE":
          if (!existing) return send(404, { error: { code: "ResourceNotFound", message: "gone" } });
          resources.delete(path);
          return path.startsWith("/v1.0/")
            ? send(204)
            : send(202, undefined, { location: `${base}/results/1` });
        default:
          return send(405);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    resources,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
