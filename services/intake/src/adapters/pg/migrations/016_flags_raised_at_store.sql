-- The store whose staff raised a flag (ADR 024, addendum on flags and stores). A flag still holds
-- at every store; the store only decides who sees its phone or e-mail in full: staff held to that
-- store, and staff working chain-wide. NULL for a flag raised by staff working chain-wide and
-- for every flag written before this migration, whose contacts only chain-wide staff see.
-- No reference to stores: the store comes from the flagger's token, which the chain's identity
-- provider writes; a store intake has not been told of yet must not make flagging fail.
ALTER TABLE flagged_customers ADD COLUMN raised_at_store text;
