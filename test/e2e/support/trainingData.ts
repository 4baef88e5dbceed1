/** Training data of our own for the e2e suites, and token counts independent of the validator. */

/**
 * Training tokens of a chat JSONL file by the OpenAI cookbook's rule (openai/openai-cookbook
 * `examples/How_to_count_tokens_with_tiktoken.ipynb`, `num_tokens_from_messages`): 3 per message
 * plus the tokens of each of its strings, and 3 per example to prime the reply.
 */
export function cookbookTokens(jsonl: string): number {
  const { encode } = require("gpt-tokenizer/encoding/o200k_base") as {
    encode(t: string): number[];
  };
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line).messages as Record<string, string>[])
    .reduce(
      (total, messages) =>
        total +
        3 +
        messages.reduce(
          (sum, message) =>
            sum + 3 + Object.values(message).reduce((n, value) => n + encode(value).length, 0),
          0,
        ),
      0,
    );
}

/** Training data of our own: `n` distinct travel Q&A examples. */
export function trainingData(n: number, variant = ""): string {
  const places = [
    "Porto",
    "Kyoto",
    "Oslo",
    "Quito",
    "Hanoi",
    "Lima",
    "Tunis",
    "Riga",
    "Cusco",
    "Perth",
    "Split",
    "Bergen",
  ];
  return (
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: "system", content: "You are a brief travel assistant." },
          {
            role: "user",
            content: `What is one thing to do in ${places[i % places.length]}${variant}? (${i})`,
          },
          {
            role: "assistant",
            content: `Walk the old town of ${places[i % places.length]} early, before the crowds${variant}.`,
          },
        ],
      }),
    ).join("\n") + "\n"
  );
}
