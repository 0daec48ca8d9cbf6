import assert from "node:assert/strict";
import { test } from "node:test";
import { slugify, wordCount } from "../src/index.js";

test("slugify makes URL-safe slugs", () => {
  assert.equal(slugify("Hello, World!"), "hello-world");
  assert.equal(slugify("  Crème brûlée  "), "creme-brulee");
});

test("wordCount counts words", () => {
  assert.equal(wordCount("one two  three"), 3);
  assert.equal(wordCount("   "), 0);
});
