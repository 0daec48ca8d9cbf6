ALTER TABLE "chats" ADD COLUMN "leaf_message_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_parent_idx" ON "messages" USING btree ("parent_id");--> statement-breakpoint
-- Existing chats are one branch: each message follows the one before it, and the newest is the leaf.
UPDATE "messages" AS m SET "parent_id" = o."prev"
FROM (
  SELECT "id", lag("id") OVER (PARTITION BY "chat_id" ORDER BY "created_at", "id") AS "prev"
  FROM "messages"
) AS o
WHERE m."id" = o."id" AND o."prev" IS NOT NULL;--> statement-breakpoint
UPDATE "chats" AS c SET "leaf_message_id" = (
  SELECT m."id" FROM "messages" AS m WHERE m."chat_id" = c."id"
  ORDER BY m."created_at" DESC, m."id" DESC LIMIT 1
);
