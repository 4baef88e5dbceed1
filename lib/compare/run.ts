/**
 * Asks every prompt of both deployments, a bounded number of calls at a time, with the lab's
 * step-7 call shape: `client.chat.completions.create({ model: <deployment>, messages })`.
 */
import { performance } from "node:perf_hooks";
import { withRetries } from "../azure/retry";
import { CallTarget, classifyCallError } from "./errors";
import type { PromptCase, PromptMessage } from "./prompts";

/** Which deployment of the pair. */
export type Side = "base" | "tuned";

/** The chat completion request `runComparison` sends. */
export interface ChatRequest {
  /** The deployment name (AzureOpenAI puts it in the URL path). */
  readonly model: string;
  readonly messages: PromptMessage[];
  readonly temperature: number;
  readonly max_completion_tokens?: number;
}

/** The parts of a chat completion `runComparison` reads. */
export interface ChatResponse {
  readonly model?: string;
  readonly choices: ReadonlyArray<{
    readonly finish_reason: string | null;
    readonly message: { readonly content: string | null; readonly refusal?: string | null };
  }>;
  readonly usage?: {
    readonly prompt_tokens: number;
    readonly completion_tokens: number;
    readonly total_tokens: number;
  };
}

/** The slice of the openai `AzureOpenAI` client used here; tests wrap it to observe calls. */
export interface ChatClient {
  readonly chat: { readonly completions: { create(body: ChatRequest): PromiseLike<ChatResponse> } };
}

/** Token usage of one answer, as the service reported it (0 when it sent no `usage`). */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** One deployment's answer to one prompt. */
export interface Answer {
  /** Deployment the request went to. */
  readonly deployment: string;
  /** Model the service says answered (`model` of the response), null if absent. */
  readonly model: string | null;
  /** The reply text; a refusal's text when the model refused; "" when filtered out. */
  readonly answer: string;
  /** `finish_reason`: "stop", "length", "content_filter", ... */
  readonly finishReason: string | null;
  /** Duration of the attempt that answered, ms (retry waits excluded). */
  readonly latencyMs: number;
  /** Attempts made, 1 unless throttled or failed transiently. */
  readonly attempts: number;
  readonly usage: TokenUsage;
}

/** Both answers to one prompt. */
export interface CaseResult {
  readonly case: PromptCase;
  readonly base: Answer;
  readonly tuned: Answer;
}

/** Inputs of `runComparison`. */
export interface RunOptions {
  readonly client: ChatClient;
  /** Account endpoint, named in errors. */
  readonly endpoint: string;
  readonly deployments: Readonly<Record<Side, string>>;
  readonly cases: readonly PromptCase[];
  /** Calls in flight at once (at least 1). */
  readonly concurrency: number;
  readonly temperature: number;
  /** Sent as `max_completion_tokens` when set. */
  readonly maxTokens?: number;
  /** Progress lines: one per answer, one per retry. */
  readonly log?: (line: string) => void;
  /** Attempts per call, passed to `withRetries` (default 6). */
  readonly maxAttempts?: number;
  /** Waits between attempts; tests pass a recorder instead of real sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Task {
  readonly caseIndex: number;
  readonly side: Side;
}

/**
 * Sends every prompt to both deployments and returns the answers in prompt order. Calls go out
 * prompt by prompt, base before tuned, so with the default concurrency of 2 both deployments
 * answer the same question at the same moment. The first call that still fails after retries
 * stops new calls; the calls in flight finish, then its classified error is thrown.
 * @throws CompareError with exit code 3 (deployment missing), 4 (auth) or 1 (other failure).
 */
export async function runComparison(opts: RunOptions): Promise<CaseResult[]> {
  const log = opts.log ?? (() => undefined);
  const tasks: Task[] = opts.cases.flatMap((_, caseIndex): Task[] => [
    { caseIndex, side: "base" },
    { caseIndex, side: "tuned" },
  ]);
  const answers = opts.cases.map((): Partial<Record<Side, Answer>> => ({}));
  let next = 0;
  let done = 0;
  let failure: unknown;

  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const task = tasks[next++];
      try {
        const answer = await ask(opts, task, log);
        answers[task.caseIndex][task.side] = answer;
        done += 1;
        const label = quoteShort(opts.cases[task.caseIndex].prompt);
        log(`[${done}/${tasks.length}] ${task.side}: ${label} ${answer.latencyMs} ms`);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, tasks.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) {
    throw failure;
  }
  return opts.cases.map((c, i) => ({
    case: c,
    base: answers[i].base as Answer,
    tuned: answers[i].tuned as Answer,
  }));
}

async function ask(opts: RunOptions, task: Task, log: (line: string) => void): Promise<Answer> {
  const deployment = opts.deployments[task.side];
  const target: CallTarget = {
    endpoint: opts.endpoint,
    deployment,
    flag: task.side === "base" ? "--base" : "--tuned",
  };
  const request: ChatRequest = {
    model: deployment,
    messages: [...opts.cases[task.caseIndex].messages],
    temperature: opts.temperature,
    ...(opts.maxTokens !== undefined ? { max_completion_tokens: opts.maxTokens } : {}),
  };
  let attempts = 0;
  let latencyMs = 0;
  // withRetries rewraps the final error; the raw one keeps the class and status classification needs.
  let lastError: unknown;
  try {
    const response = await withRetries(
      `chat completion on ${task.side} deployment \`${deployment}\``,
      async () => {
        attempts += 1;
        const started = performance.now();
        try {
          return await opts.client.chat.completions.create(request);
        } catch (err) {
          lastError = err;
          throw err;
        } finally {
          latencyMs = performance.now() - started;
        }
      },
      // Comparing runs long after `up` granted roles: a 401/403 is a missing role, not a delay.
      { log, maxAttempts: opts.maxAttempts, sleep: opts.sleep, roleAssignmentWaitMs: 0 },
    );
    return toAnswer(deployment, response, latencyMs, attempts);
  } catch (err) {
    throw classifyCallError(lastError ?? err, target);
  }
}

function toAnswer(
  deployment: string,
  response: ChatResponse,
  latencyMs: number,
  attempts: number,
): Answer {
  const choice = response.choices[0];
  const usage = response.usage;
  return {
    deployment,
    model: response.model ?? null,
    answer: choice?.message.content ?? choice?.message.refusal ?? "",
    finishReason: choice?.finish_reason ?? null,
    latencyMs: Math.round(latencyMs),
    attempts,
    usage: {
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens: usage?.completion_tokens ?? 0,
      totalTokens: usage?.total_tokens ?? 0,
    },
  };
}

/** The prompt in quotes, cut at a word boundary after at most `max` characters: `"Is it worth…"`. */
export function quoteShort(prompt: string, max = 40): string {
  const flat = prompt.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  if (chars.length <= max) {
    return `"${flat}"`;
  }
  const cut = chars.slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `"${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, "")}…"`;
}
