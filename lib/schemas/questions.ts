import { z } from "zod";

// ask_user_question: the model's input, the stored `question` part and the answer form all use
// this shape, so what the model asked is exactly what the form shows.
export const questionOption = z.strictObject({
  label: z.string().trim().min(1).max(120).describe("A short choice, a few words."),
  description: z
    .string()
    .trim()
    .max(500)
    .optional()
    .describe("One sentence on what choosing this means."),
});

export const userQuestion = z
  .strictObject({
    question: z.string().trim().min(1).max(500).describe("The full question, ending with '?'."),
    header: z
      .string()
      .trim()
      .max(40)
      .optional()
      .describe("A very short topic label shown above the question, e.g. 'Database'."),
    options: z
      .array(questionOption)
      .min(2)
      .max(4)
      .describe("2-4 distinct choices. Do not add an 'Other' choice: the form always offers one."),
    multi_select: z
      .boolean()
      .optional()
      .describe("True when several choices may be picked together."),
  })
  .superRefine((q, ctx) => {
    const seen = new Set<string>();
    q.options.forEach((o, i) => {
      const key = o.label.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["options", i, "label"],
          message: "option labels must be distinct",
        });
      }
      seen.add(key);
    });
  });

export const userQuestions = z
  .array(userQuestion)
  .min(1)
  .max(4)
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    qs.forEach((q, i) => {
      const key = q.question.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "question"],
          message: "questions must be distinct",
        });
      }
      seen.add(key);
    });
  });

export const askUserQuestionInput = z.strictObject({
  questions: userQuestions.describe("1-4 questions, each with 2-4 options."),
});

export type UserQuestion = z.output<typeof userQuestion>;
