DROP TABLE receipt_checks;
