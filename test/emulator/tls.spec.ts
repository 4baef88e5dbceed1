import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import https from "node:https";
import { once } from "node:events";
import { generateLocalCertificates } from "../../emulator/tls";

describe("emulator TLS certificates", () => {
  const certs = generateLocalCertificates();
  const [leafPem] = certs.certPem.split(/(?<=-----END CERTIFICATE-----\n)/);

  it("makes a CA and a server certificate for 127.0.0.1, ::1 and localhost signed by it", () => {
    const ca = new X509Certificate(certs.caPem);
    const leaf = new X509Certificate(leafPem);
    expect(ca.ca).to.equal(true);
    expect(leaf.ca).to.equal(false);
    expect(leaf.subjectAltName).to.equal(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(leaf.checkIssued(ca)).to.equal(true);
    expect(leaf.verify(ca.publicKey)).to.equal(true);
  });

  it("serves HTTPS that a client trusting only the CA accepts", async () => {
    const server = https.createServer({ key: certs.keyPem, cert: certs.certPem }, (_req, res) =>
      res.end("ok"),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, ca: certs.caPem }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).to.equal("ok");
    } finally {
      server.close();
    }
  });
});
