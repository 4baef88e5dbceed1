/**
 * Azure Resource Manager error bodies: `{"error":{"code","message"}}` (ARM RPC contract,
 * Azure/azure-resource-manager-rpc `v1.0/common-api-details.md`). Each helper carries the code and
 * message ARM answers with; sources are cited where Azure's wording was observed.
 */
import { AzureError } from "../errors";

/** An ARM error (the gateway shape: only `code` and `message`). */
export function armError(status: number, code: string, message: string): AzureError {
  return new AzureError(status, code, message, null, "gateway");
}

/** 404 for a missing resource group. */
export function resourceGroupNotFound(name: string): AzureError {
  return armError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
}

/** 404 for a missing resource (observed: Azure-Samples/azure-search-openai-demo#80). */
export function resourceNotFound(type: string, name: string, group: string): AzureError {
  return armError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${group}' was not found. ` +
      "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
  );
}

/** 400 for a request body or parameter ARM or the resource provider refuses. */
export function invalidRequest(code: string, message: string): AzureError {
  return armError(400, code, message);
}
