import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A request the proxy lets Azure carry out, then drops the answer of. */
export interface LostAnswer {
  readonly method: string;
  /** Path prefix, query ignored (e.g. "/openai/files"). */
  readonly path: string;
  /** How many matching requests lose their answer (default 1). */
  count?: number;
}

/** A proxy in front of the emulator, and what it did. */
export interface LossyProxy {
  /** Endpoint to give the providers instead of the emulator's. */
  readonly endpoint: string;
  /** Lose the answer of the next matching request(s) after the emulator handled them. */
  loseAnswer(rule: LostAnswer): void;
  /** Remove `metadata` from every job in answers, as a surface that does not keep it would. */
  dropJobMetadata: boolean;
  /** Answers lost so far. */
  lost: number;
  close(): Promise<void>;
}

function withoutMetadata(body: Buffer): Buffer<ArrayBufferLike> {
  const json = JSON.parse(body.toString("utf8"));
  const strip = (job: Record<string, unknown>) => {
    if (typeof job.id === "string" && job.id.startsWith("ftjob-")) delete job.metadata;
  };
  if (Array.isArray(json.data)) json.data.forEach(strip);
  else strip(json);
  return Buffer.from(JSON.stringify(json));
}

/**
 * Starts a proxy that forwards every request to `target` and can reproduce the hazard a
 * non-idempotent POST faces: the service commits the request, then the connection drops before
 * the client reads the answer (the client sees a reset and may send it again).
 */
export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  const rules: LostAnswer[] = [];
  const proxy: LossyProxy = {
    endpoint: "",
    loseAnswer: (rule) => rules.push({ count: 1, ...rule }),
    dropJobMetadata: false,
    lost: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const rule = rules.find(
      (r) => r.method === req.method && path.startsWith(r.path) && (r.count ?? 0) > 0,
    );
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          if (rule) {
            rule.count = (rule.count ?? 1) - 1;
            proxy.lost++;
            req.socket.destroy();
            return;
          }
          let body: Buffer<ArrayBufferLike> = Buffer.concat(chunks);
          const json = (answer.headers["content-type"] ?? "").includes("application/json");
          if (proxy.dropJobMetadata && json && path.includes("/fine_tuning/jobs")) {
            body = withoutMetadata(body);
          }
          const headers = { ...answer.headers, "content-length": String(body.length) };
          delete headers["transfer-encoding"];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  (proxy as { endpoint: string }).endpoint = `http://127.0.0.1:${port}/`;
  return proxy;
}
