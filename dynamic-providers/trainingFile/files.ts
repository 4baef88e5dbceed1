/** Azure file calls after the upload: waiting for processing, and deletion (404 counts as done). */
import type { AzureOpenAI } from "openai";
import type { FileObject } from "openai/resources/files";
import { isNotFound } from "../../lib/azure/errors";
import { withRetries } from "../../lib/azure/retry";
import { sleep } from "../support";
import { FILE_PROCESSING_TIMEOUT_MS } from "./types";

/** Every file of the account, page by page (100 a page), in the order Azure lists them. */
export async function* listFiles(client: AzureOpenAI): AsyncGenerator<FileObject> {
  let after: string | undefined;
  for (;;) {
    const page = await withRetries("list files", () =>
      client.files.list(after === undefined ? { limit: 100 } : { limit: 100, after }),
    );
    yield* page.data;
    if (!page.has_more || page.data.length === 0) {
      return;
    }
    after = page.data[page.data.length - 1].id;
  }
}

export async function deleteFileQuietly(client: AzureOpenAI, fileId: string): Promise<void> {
  try {
    await withRetries("delete training file", () => client.files.delete(fileId));
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
  }
}

/** Polls the file until Azure has validated it: 0.25 s, 0.5 s, 1 s, ... up to 10 s between polls. */
export async function waitForProcessing(
  client: AzureOpenAI,
  file: FileObject,
  filename: string,
  log: (line: string) => void,
): Promise<FileObject> {
  const started = Date.now();
  let current = file;
  let delayMs = 250;
  // Azure reports pending/running before processed or error (`FileState` in Azure/azure-rest-api-specs
  // specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json
  // @ 3ecc2097); the openai SDK types miss them.
  while (!["processed", "error", "deleted"].includes(current.status as string)) {
    if (Date.now() - started > FILE_PROCESSING_TIMEOUT_MS) {
      await deleteFileQuietly(client, file.id);
      throw new Error(
        `training file ${filename} (${file.id}) was still "${current.status}" after ${FILE_PROCESSING_TIMEOUT_MS / 60000} ` +
          "minutes of processing; it was deleted. Run `pulumi up` again.",
      );
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 10_000);
    const previous = current.status;
    current = await withRetries("read training file status", () => client.files.retrieve(file.id));
    if (current.status !== previous) {
      log(`training file ${filename} (${file.id}): ${previous} → ${current.status}`);
    }
  }
  return current;
}
