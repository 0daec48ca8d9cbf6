import { describe, expect, it } from "vitest";
import {
  answerProblems,
  emptyAnswer,
  formatAnswers,
  parseQuestions,
  toggleChoice,
  type UserQuestion,
} from "./question-logic";

const db: UserQuestion = {
  header: "Database",
  question: "Which database should the service use?",
  options: [{ label: "PostgreSQL", description: "What the rest runs on" }, { label: "SQLite" }],
};
const features: UserQuestion = {
  question: "Which features are in scope?",
  options: [{ label: "Auth" }, { label: "Billing" }, { label: "Reports" }],
  multi_select: true,
};

describe("parseQuestions", () => {
  it("accepts 1-4 questions of 2-4 distinct options and refuses anything else", () => {
    expect(parseQuestions([db, features])).toEqual([db, features]);
    expect(parseQuestions([])).toBeNull();
    expect(parseQuestions(["Which one?"])).toBeNull();
    expect(parseQuestions([{ ...db, options: [{ label: "Only" }] }])).toBeNull();
    expect(parseQuestions([{ ...db, options: [{ label: "A" }, { label: "a" }] }])).toBeNull();
    expect(parseQuestions([db, db])).toBeNull();
    expect(
      parseQuestions([
        db,
        features,
        { ...db, question: "x?" },
        { ...db, question: "y?" },
        { ...db, question: "z?" },
      ]),
    ).toBeNull();
    expect(parseQuestions([{ ...db, extra: 1 }])).toBeNull();
  });
});

describe("toggleChoice", () => {
  it("keeps one choice for single-select questions, Other included", () => {
    let a = toggleChoice(emptyAnswer(), db, "PostgreSQL");
    expect(a).toEqual({ selected: ["PostgreSQL"], other: null });
    a = toggleChoice(a, db, null);
    expect(a).toEqual({ selected: [], other: "" });
    a = toggleChoice(a, db, "SQLite");
    expect(a).toEqual({ selected: ["SQLite"], other: null });
  });

  it("toggles each choice of a multi-select question", () => {
    let a = toggleChoice(emptyAnswer(), features, "Billing");
    a = toggleChoice(a, features, "Auth");
    a = toggleChoice(a, features, null);
    expect(a).toEqual({ selected: ["Billing", "Auth"], other: "" });
    a = toggleChoice(a, features, "Billing");
    a = toggleChoice(a, features, null);
    expect(a).toEqual({ selected: ["Auth"], other: null });
  });
});

describe("answers", () => {
  it("needs an answer per question and text for Other", () => {
    expect(answerProblems([emptyAnswer(), { selected: [], other: " " }])).toEqual([
      "Choose an answer.",
      "Write your answer for “Other”.",
    ]);
    expect(answerProblems([{ selected: ["SQLite"], other: null }])).toEqual([null]);
  });

  it("becomes a readable message of question → answer, options in their listed order", () => {
    const text = formatAnswers(
      [db, features],
      [
        { selected: [], other: " DuckDB " },
        { selected: ["Reports", "Auth"], other: null },
      ],
    );
    expect(text).toBe(
      [
        "My answers to your questions:",
        "",
        "1. [Database] Which database should the service use?",
        "   Answer: Other: DuckDB",
        "2. Which features are in scope?",
        "   Answer: Auth; Reports",
      ].join("\n"),
    );
  });
});
