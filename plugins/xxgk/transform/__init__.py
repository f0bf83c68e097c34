"""Transform: the dbt project's runner and the seeds generated from the dictionary."""
