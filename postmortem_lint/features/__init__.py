"""What the commands do besides linting: tracker, scaffold, commit template, actions, insights, baseline."""
