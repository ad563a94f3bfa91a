// A real OpenID Connect provider (npm's oidc-provider) on the loopback address, for the
// single sign-on tests: tests/oidc/conftest-style fixtures start it with
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
// and wait for the line "ready PORT". PORT 0 lets the system choose a free port, which the
// line names: tests running side by side never reach for the same one. Its built-in
// sign-in page takes any name as the account and any password; each account's e-mail
// address is the name typed, and the provider says it has verified it.
import { createServer } from "node:http";
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);

const configuration = {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified"), name: id };
      },
    };
  },
  // Every scope the client asks for is granted without a separate consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  pkce: { required: () => false },
  cookies: { keys: ["coprod-test-only"] },
  features: { devInteractions: { enabled: true } },
};

// The issuer's address holds the port, so the provider is made once the port is known.
const server = createServer();
server.listen(Number(port), "127.0.0.1", () => {
  const bound = server.address().port;
  const provider = new Provider(`http://127.0.0.1:${bound}`, configuration);
  provider.proxy = false;
  server.on("request", provider.callback());
  console.log(`ready ${bound}`);
});
