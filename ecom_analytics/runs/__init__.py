"""Running the pipeline from the command line: materialize a range, guard and recover runs."""
