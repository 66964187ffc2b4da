import { loadServerConfig } from "../config";
import { createDevToken } from "../dev-token";
import { createSignInToken } from "../http/browser-session";
import { PROVIDER_IDS } from "../providers";
import { type CliCommand, CliUsageError, integerOption, parseCommandArgs } from "./cli-command";

const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 365 * 24 * 60 * 60;

/** The dashboard's sign-in link for a sign-in token, on the service at `baseUrl`. */
export function signInLink(baseUrl: string, token: string): string {
  const url = new URL("/auth/sign-in", baseUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * `autoflow token --user <id> [--ttl <seconds>]`: a user token the service accepts, signed as `serve`'s
 * development token is (`createDevToken` with `AUTOFLOW_JWT_SECRET`, or the secret generated in the state folder).
 * Only the token goes to stdout, so `export AUTOFLOW_TOKEN=$(autoflow token --user me)` works.
 */
export const tokenCommand: CliCommand = {
  name: "token",
  summary: "Print a development user token the service accepts (HS256, AUTOFLOW_JWT_SECRET)",
  usage: [
    "Usage: autoflow token --user <id> [--ttl <seconds>] [--sign-in]",
    "",
    "Prints a user token (a JWT whose sub is <id>) signed with the service's HS256 secret: AUTOFLOW_JWT_SECRET,",
    "or outside production the secret generated in $AUTOFLOW_STATE_DIR/jwt.secret (default .autoflow), the",
    "one serve uses. Run it with the environment serve runs with. Only the token is printed:",
    "",
    "  export AUTOFLOW_TOKEN=$(autoflow token --user dev-user)",
    '  curl -H "Authorization: Bearer $AUTOFLOW_TOKEN" http://localhost:3000/api/triggers',
    "",
    "Options:",
    "  --user <id>      The user the token is for (its sub claim). Required.",
    `  --ttl <seconds>  How long it is valid. Default ${DEFAULT_TTL_SECONDS}; the service also refuses tokens older`,
    "                   than AUTOFLOW_JWT_MAX_AGE_SECONDS (default 86400), whatever their expiry.",
    "  --sign-in        Print a dashboard sign-in link instead (single use, valid 10 min) for the service at",
    "                   AUTOFLOW_PUBLIC_URL (default http://localhost:$AUTOFLOW_PORT)",
    "  -h, --help       This text",
    "",
    "With AUTOFLOW_JWKS_URL the service verifies your identity provider's tokens: get one there instead.",
    "",
  ].join("\n"),
  async run(args) {
    const { values } = parseCommandArgs(args, {
      user: { type: "string" },
      ttl: { type: "string" },
      "sign-in": { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(this.usage);
      return 0;
    }
    const userId = values.user?.trim();
    if (!userId) throw new CliUsageError("--user <id> is required (the user the token is for)");
    const ttl =
      values.ttl === undefined ? DEFAULT_TTL_SECONDS : integerOption("--ttl", values.ttl, 1, MAX_TTL_SECONDS);
    const config = loadServerConfig(process.env, PROVIDER_IDS);
    const { jwt } = config;
    if (jwt.jwksUrl || !jwt.jwtSecret) {
      process.stderr.write(
        "autoflow token: the service verifies tokens from AUTOFLOW_JWKS_URL (your identity provider): get one there\n",
      );
      return 1;
    }
    // Only the secret the token is signed with matters here: a generated one is where serve will find it.
    for (const warning of config.warnings.filter((w) => w.startsWith("AUTOFLOW_JWT_SECRET")))
      process.stderr.write(`${warning}\n`);
    if (jwt.maxTokenAgeSeconds !== undefined && ttl > jwt.maxTokenAgeSeconds) {
      process.stderr.write(
        `Note: the service refuses tokens older than ${jwt.maxTokenAgeSeconds} s (AUTOFLOW_JWT_MAX_AGE_SECONDS), whatever --ttl says.\n`,
      );
    }
    const claims = {
      userId,
      ...(jwt.issuer && { issuer: jwt.issuer }),
      ...(jwt.audience && { audience: jwt.audience }),
    };
    if (values["sign-in"]) {
      const token = await createSignInToken(jwt.jwtSecret, claims);
      process.stdout.write(`${signInLink(config.publicUrl, token)}\n`);
      return 0;
    }
    const token = await createDevToken(jwt.jwtSecret, { ...claims, expiresInSeconds: ttl });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
