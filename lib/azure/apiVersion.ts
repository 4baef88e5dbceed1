/**
 * The Azure OpenAI data-plane API version the providers call. The preview line is needed for
 * `method` (DPO), pause/resume and the paused states; GA 2024-10-21 has none of them (compare
 * Azure/azure-rest-api-specs `specification/cognitiveservices/data-plane/AzureOpenAI/authoring/`
 * `preview/2025-04-01-preview/azureopenai.json` @ 0dba90a0 with `stable/2024-10-21/azureopenai.json`
 * @ 3ecc2097).
 */
export const DEFAULT_API_VERSION = "2025-04-01-preview";

/** A dated data-plane api-version: `YYYY-MM-DD` or `YYYY-MM-DD-preview`. */
export const DATED_API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/**
 * Returns the api-version to use, or throws when one was given in the wrong form.
 * @param apiVersion The `apiVersion` input of a resource, if set.
 */
export function resolveApiVersion(apiVersion: string | undefined): string {
  if (apiVersion === undefined || apiVersion === "") {
    return DEFAULT_API_VERSION;
  }
  if (!DATED_API_VERSION.test(apiVersion)) {
    throw new Error(
      `\`apiVersion\` "${apiVersion}" is not a dated Azure OpenAI API version; ` +
        `use the form YYYY-MM-DD or YYYY-MM-DD-preview, e.g. "${DEFAULT_API_VERSION}".`,
    );
  }
  return apiVersion;
}
