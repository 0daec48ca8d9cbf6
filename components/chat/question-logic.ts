// The answer form of ask_user_question, as pure logic: which questions a stored part holds,
// whether the answers are complete, and the user message they become.
import { userQuestions, type UserQuestion } from "@/lib/schemas/questions";

export type { UserQuestion };

/** One question's answer: the options picked, and the free text when "Other" is picked. */
export interface QuestionAnswer {
  selected: string[];
  /** null: "Other" not picked. */
  other: string | null;
}

/** The questions of a stored or streamed part; null when they are not well-formed. */
export function parseQuestions(raw: unknown): UserQuestion[] | null {
  const parsed = userQuestions.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const emptyAnswer = (): QuestionAnswer => ({ selected: [], other: null });

/** Picks or unpicks an option (label), or "Other" (null), following single/multi select. */
export function toggleChoice(
  answer: QuestionAnswer,
  question: Pick<UserQuestion, "multi_select">,
  choice: string | null,
): QuestionAnswer {
  if (!question.multi_select) {
    return choice === null
      ? { selected: [], other: answer.other ?? "" }
      : { selected: [choice], other: null };
  }
  if (choice === null) return { ...answer, other: answer.other === null ? "" : null };
  const selected = answer.selected.includes(choice)
    ? answer.selected.filter((l) => l !== choice)
    : [...answer.selected, choice];
  return { ...answer, selected };
}

/** A problem per question (null when answered). */
export function answerProblems(answers: readonly QuestionAnswer[]): (string | null)[] {
  return answers.map((a) => {
    if (a.other !== null && a.other.trim() === "") return "Write your answer for “Other”.";
    if (a.selected.length === 0 && a.other === null) return "Choose an answer.";
    return null;
  });
}

/** The user message carrying the answers: each question, then what was chosen. */
export function formatAnswers(
  questions: readonly UserQuestion[],
  answers: readonly QuestionAnswer[],
): string {
  const lines = ["My answers to your questions:", ""];
  questions.forEach((q, i) => {
    const a = answers[i] ?? emptyAnswer();
    // Options in the order the model listed them, not the order they were clicked.
    const chosen = q.options.map((o) => o.label).filter((l) => a.selected.includes(l));
    if (a.other !== null) chosen.push(`Other: ${a.other.trim()}`);
    const topic = q.header ? `[${q.header}] ` : "";
    lines.push(`${i + 1}. ${topic}${q.question}`);
    lines.push(`   Answer: ${chosen.join("; ")}`);
  });
  return lines.join("\n");
}
