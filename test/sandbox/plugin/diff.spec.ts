import { expect } from "chai";
import { diffInputs } from "../../../sandbox/plugin/diff";
import { UNKNOWN } from "../../../sandbox/plugin/wire";

describe("sandbox/plugin/diff", () => {
  const replaceOn = ["accountName", "location", "properties.customSubDomainName"];

  it("reports no change for equal inputs and ignores the provider's __ keys", () => {
    const inputs = { accountName: "a", tags: { x: "1" }, __createBeforeDelete: true };
    const d = diffInputs(inputs, { ...inputs, __createBeforeDelete: false }, replaceOn, {
      deleteBeforeReplace: true,
    });
    expect(d).to.deep.equal({ replaces: [], deleteBeforeReplace: false, detailed: {} });
  });

  it("gives leaf paths for updates, adds and deletes", () => {
    const d = diffInputs(
      { tags: { owner: "a", env: "dev" }, properties: { networkAcls: { defaultAction: "Allow" } } },
      {
        tags: { owner: "b", team: "ml" },
        properties: { networkAcls: { defaultAction: "Deny", ipRules: [{ value: "1.2.3.4" }] } },
      },
      replaceOn,
      { deleteBeforeReplace: true },
    );
    expect(d.detailed).to.deep.equal({
      "tags.owner": "update",
      "tags.env": "delete",
      "tags.team": "add",
      "properties.networkAcls.defaultAction": "update",
      "properties.networkAcls.ipRules": "add",
    });
    expect(d.replaces).to.deep.equal([]);
  });

  it("marks changes under a replace-on path as replacements", () => {
    const d = diffInputs(
      { location: "swedencentral", properties: { customSubDomainName: "a" } },
      { location: "eastus", properties: { customSubDomainName: "b" } },
      replaceOn,
      { deleteBeforeReplace: true },
    );
    expect(d.detailed).to.deep.equal({
      location: "update-replace",
      "properties.customSubDomainName": "update-replace",
    });
    expect(d.replaces).to.deep.equal(["location", "properties.customSubDomainName"]);
    expect(d.deleteBeforeReplace).to.equal(true);
  });

  it("shows an unknown new value as an update", () => {
    const d = diffInputs(
      { properties: { model: { name: "m1" } } },
      { properties: { model: { name: UNKNOWN } } },
      [],
      { deleteBeforeReplace: true },
    );
    expect(d.detailed).to.deep.equal({ "properties.model.name": "update" });
  });

  it("quotes keys that are not identifiers", () => {
    const d = diffInputs({ tags: { "cost-center": "a" } }, { tags: { "cost-center": "b" } }, [], {
      deleteBeforeReplace: false,
    });
    expect(d.detailed).to.deep.equal({ 'tags["cost-center"]': "update" });
  });
});
