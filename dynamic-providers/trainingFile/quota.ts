/**
 * Azure's per-resource file quotas for fine-tuning, checked before an upload so a full account
 * fails fast with what to delete, instead of after minutes of sending. The rows "Max Files per
 * resource (fine-tuning) | 50" and "Total size of all files per resource (fine-tuning) | 1 GB"
 * of https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits. Whether "1 GB" is 10^9
 * or 2^30 bytes is not published: the check uses 2^30, so it never refuses what Azure accepts,
 * and between the two Azure's own `quotaExceeded` answers.
 */
import type { AzureOpenAI } from "openai";
import type { FileObject } from "openai/resources/files";
import { formatBytes } from "../../lib/format";
import { listFiles } from "./files";

export const FILE_QUOTA = {
  /** "Total size of all files per resource (fine-tuning)". */
  totalBytes: 1024 ** 3,
  /** "Max Files per resource (fine-tuning)". */
  files: 50,
  source: "https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits",
} as const;

/** Files listed here that still hold quota (a deleted one may linger in the list). */
const holdsQuota = (file: FileObject) => !["deleting", "deleted"].includes(file.status as string);

/**
 * Throws, before anything is uploaded, when a file of `bytes` would take the account past its
 * file count or total size. The message gives the account's total, the new file's size, the
 * limit, and the largest files to delete with the request that deletes them.
 * @param label The file's own name, for the message.
 */
export async function assertFileQuota(
  client: AzureOpenAI,
  endpoint: string,
  label: string,
  bytes: number,
): Promise<void> {
  const files: FileObject[] = [];
  for await (const file of listFiles(client)) {
    if (holdsQuota(file)) files.push(file);
  }
  const used = files.reduce((sum, f) => sum + (f.bytes ?? 0), 0);
  const tooBig = used + bytes > FILE_QUOTA.totalBytes;
  const tooMany = files.length + 1 > FILE_QUOTA.files;
  if (!tooBig && !tooMany) return;
  const what = tooBig
    ? `its files already hold ${formatBytes(used)} (${used} bytes), this one is ${formatBytes(bytes)} ` +
      `(${bytes} bytes), and the account may hold at most ${formatBytes(FILE_QUOTA.totalBytes)} of files in all`
    : `it already holds ${files.length} files, the most it may hold`;
  const largest = [...files]
    .sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))
    .slice(0, 5)
    .map((f) => `${f.id} ${f.filename} (${formatBytes(f.bytes ?? 0)})`)
    .join(", ");
  throw new Error(
    `training file ${label} cannot be uploaded to ${endpoint}: ${what} (source: ${FILE_QUOTA.source}). ` +
      `Nothing was uploaded. Delete files the account no longer needs; the largest: ${largest}. ` +
      `Delete one with \`DELETE ${endpoint.replace(/\/$/, "")}/openai/files/<file id>?api-version=<version>\` ` +
      "or in the Azure AI Foundry portal (Data files); a file a fine-tuning job still uses must stay. " +
      "A content change uploads the new file before the old one is deleted, so the old one counts until then.",
  );
}
