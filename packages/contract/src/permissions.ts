/**
 * Roles and what each may do. The matrix is data: the backend checks it on every route and the
 * docs print it as a table.
 */
export const roles = ["guest", "user", "admin", "dpo"] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  "customers:read",
  "customers:write",
  "customers:delete",
  "customers:merge",
  "customers:export",
  "events:read",
  "events:write",
  "events:delete",
  "tracking:write",
  "consents:read",
  "consents:write",
  "consents:history",
  "subscriptions:read",
  "subscriptions:write",
  "schema:read",
  "schema:write",
  "settings:write",
  "keys:manage",
  "workspaces:read",
  "workspaces:manage",
  "audit:read",
  "privacy:erase",
  "privacy:restrict",
  "privacy:requests",
  "auth:self",
] as const;
export type Permission = (typeof permissions)[number];

const guest: readonly Permission[] = [
  "auth:self",
  "customers:read",
  "events:read",
  "consents:read",
  "subscriptions:read",
  "schema:read",
  "workspaces:read",
];
const user: readonly Permission[] = /* @__PURE__ */ guest.concat([
  "customers:write",
  "events:write",
  "consents:write",
  "subscriptions:write",
  "tracking:write",
]);

/** What each role may do. A write key is not a role: it may only `tracking:write`. */
export const permissionMatrix: Readonly<Record<Role, readonly Permission[]>> = {
  guest,
  user,
  admin: /* @__PURE__ */ user.concat([
    "customers:delete",
    "customers:merge",
    "customers:export",
    "events:delete",
    "schema:write",
    "settings:write",
    "keys:manage",
    "workspaces:manage",
    "consents:history",
    "audit:read",
  ]),
  dpo: /* @__PURE__ */ user.concat([
    "customers:export",
    "consents:history",
    "audit:read",
    "privacy:erase",
    "privacy:restrict",
    "privacy:requests",
  ]),
};

/** True when `role` may do what `permission` names. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return permissionMatrix[role].includes(permission);
}
