print("sequoia")
