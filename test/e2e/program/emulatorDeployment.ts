import * as pulumi from "@pulumi/pulumi";

/** Deployment of a model in the emulator. */
export interface EmulatorDeploymentArgs {
  /** Emulator endpoint. */
  readonly endpoint: pulumi.Input<string>;
  /** Deployment name. */
  readonly name: pulumi.Input<string>;
  /** Model to deploy. */
  readonly model: pulumi.Input<string>;
}

interface Inputs {
  endpoint: string;
  name: string;
  model: string;
}

/**
 * Test-only stand-in for the azure-native Deployment of the tuned model: the emulator has no ARM
 * surface, so this registers the deployment through its admin API. It gives destroy the same
 * order as the real program (deployment first, then the job and its model).
 */
export const emulatorDeploymentProvider: pulumi.dynamic.ResourceProvider<Inputs, Inputs> = {
  async diff(_id, olds, news) {
    const replaces = (["endpoint", "name", "model"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces };
  },
  async create(inputs) {
    const res = await fetch(`${inputs.endpoint.replace(/\/+$/, "")}/_emulator/deployments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: inputs.name, model: inputs.model }),
    });
    if (res.status !== 201)
      throw new Error(
        `registering deployment ${inputs.name} failed: ${res.status} ${await res.text()}`,
      );
    return { id: inputs.name, outs: inputs };
  },
  async read(id, props) {
    const res = await fetch(`${props!.endpoint.replace(/\/+$/, "")}/_emulator/deployments`);
    const list = (await res.json()) as { data: { name: string }[] };
    return list.data.some((d) => d.name === id) ? { id, props } : { id: "", props };
  },
  async delete(id, props) {
    const res = await fetch(
      `${props.endpoint.replace(/\/+$/, "")}/_emulator/deployments/${encodeURIComponent(id)}`,
      { method: "DELETE" },
    );
    if (res.status !== 204 && res.status !== 404)
      throw new Error(`deleting deployment ${id} failed: ${res.status}`);
  },
};

export class EmulatorDeployment extends pulumi.dynamic.Resource {
  declare readonly model: pulumi.Output<string>;
  constructor(name: string, args: EmulatorDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      emulatorDeploymentProvider,
      name,
      { ...args },
      opts,
      "azure-openai-e2e",
      "EmulatorDeployment",
    );
  }
}
