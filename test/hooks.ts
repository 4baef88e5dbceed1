// The project targets the Node 22/24 LTS lines; `npm ci` installs Node 24 into node_modules/.bin
// (devDependency `node`) so npm scripts never fall back to an end-of-life system Node.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  throw new Error(
    `Tests need Node 22 or newer, but this is Node ${process.versions.node}. ` +
      "Run them through npm (`npm test`), which puts the Node 24 from node_modules/.bin first on PATH.",
  );
}
