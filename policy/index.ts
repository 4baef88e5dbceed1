import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

// The entry point the analyzer runs: constructing the pack starts its gRPC server, so tests
// import ./policies instead. The pack's version comes from ./package.json.
new PolicyPack("azure-openai-finetune", { policies: POLICIES });
