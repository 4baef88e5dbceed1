import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AccountAccess, validateAccountAccessArgs } from "../../components/accountAccess";

const grant = (key: string, roleGuid = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd") => ({
  key,
  principalId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  roleGuid,
  description: "test",
});

describe("components/accountAccess", () => {
  describe("validateAccountAccessArgs", () => {
    it("accepts distinct keys with role GUIDs", () => {
      expect(validateAccountAccessArgs({ grants: [grant("a"), grant("b")] })).to.deep.equal([]);
    });

    it("names a key used twice and a role that is not a GUID", () => {
      expect(
        validateAccountAccessArgs({ grants: [grant("a"), grant("a"), grant("b", "Contributor")] }),
      ).to.deep.equal([
        '`grants` has the key "a" twice; give each grant its own key.',
        '`grants` "b" has the role "Contributor", which is not a role definition GUID; use one of lib/roles.ts.',
      ]);
    });
  });

  it("refuses bad grants before declaring any role assignment", async () => {
    const declared: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          declared.push(args.type);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
    );
    expect(
      () =>
        new AccountAccess("access", {
          scope: "/subscriptions/s",
          subscriptionId: "s",
          grants: [grant("a"), grant("a")],
        }),
    ).to.throw('`grants` has the key "a" twice; give each grant its own key.');
    await new Promise((r) => setTimeout(r, 20));
    // Only the component itself (registered by its constructor's super call), no assignment.
    expect(declared).to.deep.equal(["azure-openai-finetune:access:AccountAccess"]);
  });
});
