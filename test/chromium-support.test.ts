import { describe, expect, it } from "vitest";
import { chromiumPath } from "./support/chromium.js";

describe("the browser tests' Chromium", () => {
  it("is found on this machine (CHROMIUM_PATH or Debian's /usr/bin/chromium)", () => {
    expect(chromiumPath()).toMatch(/chromium/);
  });

  it("when missing, fails at once with what to do instead of hanging", () => {
    expect(() => chromiumPath(["/nonexistent/chromium"])).toThrow(
      /found none \(looked at \/nonexistent\/chromium\).*apt-get install .*chromium.*CHROMIUM_PATH/,
    );
  });
});
