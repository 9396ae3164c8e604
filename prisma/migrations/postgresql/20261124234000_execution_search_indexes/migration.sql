-- The executions list's `$.path = value` search on PostgreSQL (lib/store/queries/executions.ts).
-- Not expressible in schema.prisma (an expression index over a function), so written by hand.

-- The input parsed as JSON, or NULL when it is not a JSON object or array (PostgreSQL 15 has no
-- non-throwing JSON validity test, hence PL/pgSQL with an exception handler; that also makes it
-- parallel unsafe, which only matters for queries that call it).
CREATE FUNCTION "statelens_json_or_null"(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN IF t !~ '^\s*[{\[]' THEN RETURN NULL; END IF; RETURN t::jsonb; EXCEPTION WHEN others THEN RETURN NULL; END $$;

-- CreateIndex
CREATE INDEX "Execution_input_json_idx" ON "Execution" USING gin ("statelens_json_or_null"("input") jsonb_path_ops);
