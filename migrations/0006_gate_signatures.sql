CREATE TABLE "gate_signatures" (
	"gate_id" text NOT NULL,
	"user_id" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"note" text,
	CONSTRAINT "gate_signatures_gate_id_user_id_pk" PRIMARY KEY("gate_id","user_id")
);
--> statement-breakpoint
-- Backfill: a gate passed before joint sign-off existed keeps its signer's signature, so the summary shows who
-- signed it and a later withdrawal clears it like any other.
INSERT INTO "gate_signatures" ("gate_id", "user_id", "signed_at", "note")
SELECT "gate_id", "signed_by", COALESCE("signed_at", "updated_at"), "note" FROM "gate_states"
WHERE "status" = 'passed' AND "signed_by" IS NOT NULL
ON CONFLICT DO NOTHING;
