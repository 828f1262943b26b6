import { authRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** A key's id and secret, used as OAuth client credentials. */
export interface ClientCredentials {
  /** The key's id (`key_…`). */
  clientId: string;
  /** The key's secret. */
  clientSecret: string;
  scope?: string | undefined;
}

/** Tokens and the calling key: `cdp.auth`. */
export class Auth extends ApiResource {
  /**
   * Exchanges client credentials for an access token (OAuth 2.0, RFC 6749 §4.4). Use the token as
   * the `apiKey` of another client.
   *
   * ```ts
   * const { access_token } = await cdp.auth.token({ clientId: "key_…", clientSecret: "sk_…" });
   * const asToken = new Cdp({ apiKey: access_token });
   * ```
   * @param credentials - `{ clientId, clientSecret, scope? }`, or the token request as RFC 6749 spells it.
   * @throws {@link AuthenticationError} with `code` `invalid_client` when the credentials are wrong.
   */
  token(credentials: ClientCredentials | BodyOf<"auth.token">, options?: RequestOptions): Promise<ResponseOf<"auth.token">> {
    const body: BodyOf<"auth.token"> =
      "grant_type" in credentials
        ? credentials
        : {
            grant_type: "client_credentials",
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            ...(credentials.scope === undefined ? {} : { scope: credentials.scope }),
          };
    return this.client.send(authRoutes["auth.token"], { body }, options);
  }

  /** Describes the calling key: its role, organization, workspaces and permissions. */
  me(options?: RequestOptions): Promise<ResponseOf<"auth.me">> {
    return this.client.send(authRoutes["auth.me"], {}, options);
  }
}
