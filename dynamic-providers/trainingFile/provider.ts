import * as pulumi from "@pulumi/pulumi";
import { promises as fsp } from "node:fs";
import type { FileObject } from "openai/resources/files";
import { createAzureOpenAI } from "../../lib/azure/client";
import { assertFineTunable } from "../../lib/azure/models";
import { findModel } from "../../lib/models";
import { isNotFound } from "../../lib/azure/errors";
import { withRetries } from "../../lib/azure/retry";
import { envNumber } from "../../lib/env";
import { formatBytes } from "../../lib/format";
import { accountReplaces } from "../support";
import { checkFileInputs } from "./check";
import { deleteFileQuietly, waitForProcessing } from "./files";
import { assertFileQuota } from "./quota";
import {
  DEFAULT_UPLOAD_THRESHOLD_BYTES,
  TrainingFileProviderInputs,
  TrainingFileProviderOutputs,
} from "./types";
import { fileName, uploadInParts, uploadName, uploadWhole } from "./upload";

/**
 * Uploads a validated JSONL training file to Azure OpenAI and waits until Azure has processed it.
 * `check` turns the program's validation into failures (no API call, so `pulumi preview` catches
 * bad data); the file is replaced only when its content (sha256), the endpoint or the purpose changes.
 */
export const trainingFileProvider: pulumi.dynamic.ResourceProvider<
  TrainingFileProviderInputs,
  TrainingFileProviderOutputs
> = {
  async check(_olds, news) {
    return checkFileInputs(news);
  },

  async diff(_id, olds, news) {
    // Only the uploaded object matters: the path is where the content comes from, not what it is.
    const replaces = [
      ...accountReplaces(olds, news),
      ...(["sha256", "purpose"] as const).filter((key) => olds[key] !== news[key]),
    ];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const log = (line: string) => console.log(line);
    const client = await createAzureOpenAI(inputs.endpoint, { apiVersion: inputs.apiVersion });
    // Before anything is uploaded: the account, not the project's catalog, decides what it trains.
    await assertFineTunable(client, findModel(inputs.model)?.id ?? inputs.model, "model", log);
    const filename = fileName(inputs.path);
    const names = { label: filename, upload: uploadName(inputs.path, inputs.sha256) };
    const { size: bytes } = await fsp.stat(inputs.path);
    const threshold = envNumber(
      "AZURE_OPENAI_UPLOAD_THRESHOLD_BYTES",
      DEFAULT_UPLOAD_THRESHOLD_BYTES,
    );
    await assertFileQuota(client, inputs.endpoint, filename, bytes);
    log(`training file ${filename}: uploading ${formatBytes(bytes)} to ${inputs.endpoint}`);
    const sent =
      bytes > threshold
        ? await uploadInParts(client, inputs, names, bytes, log)
        : await uploadWhole(client, inputs, names, bytes, log);
    if (sent.sha256 !== inputs.sha256) {
      await deleteFileQuietly(client, sent.file.id);
      throw new Error(
        `\`path\` "${inputs.path}" changed between validation and upload (sha256 ${sent.sha256}, validated ` +
          `${inputs.sha256}); the upload was deleted. Run \`pulumi up\` again.`,
      );
    }
    log(`training file ${filename}: uploaded as ${sent.file.id}; waiting for Azure to process it`);
    const processed = await waitForProcessing(client, sent.file, filename, log);
    if (processed.status !== "processed") {
      // Leave nothing behind: the engine records no resource for a failed create.
      await deleteFileQuietly(client, sent.file.id);
      const details =
        (processed as { status_details?: string | null }).status_details ?? "no details given";
      throw new Error(
        `training file ${filename} (${sent.file.id}) was rejected by Azure with status "${processed.status}": ${details}. ` +
          "The uploaded file was deleted; fix the data and run `pulumi up` again.",
      );
    }
    return {
      id: processed.id,
      outs: {
        ...inputs,
        fileId: processed.id,
        status: processed.status,
        filename: processed.filename ?? names.upload,
        bytes: processed.bytes ?? bytes,
      },
    };
  },

  async read(id, stored) {
    // The engine always passes the stored outputs on refresh.
    const props = stored as TrainingFileProviderOutputs;
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    let file: FileObject;
    try {
      file = await withRetries("read training file", () => client.files.retrieve(id));
    } catch (err) {
      if (isNotFound(err)) {
        return { id: "", props: {} as TrainingFileProviderOutputs };
      }
      throw err;
    }
    if ((file.status as string) === "deleted") {
      return { id: "", props: {} as TrainingFileProviderOutputs };
    }
    return {
      id,
      props: { ...props, fileId: id, status: file.status, bytes: file.bytes ?? props.bytes },
    };
  },

  async delete(id, props) {
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    await deleteFileQuietly(client, id);
    console.log(`training file ${props.filename ?? id}: deleted ${id}`);
  },
};
